package io.switchyard.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** Reads YAML text into a {@link YamlNode} tree with Jackson's streaming YAML parser. */
final class YamlTree {

    static final String ROOT = "(root)";

    private final YAMLParser parser;
    private final Problems problems;
    /** Key path of the value being read, so that a syntax error can say where in the document it happened. */
    private String path = "";

    private YamlTree(YAMLParser parser, Problems problems) {
        this.parser = parser;
        this.problems = problems;
    }

    /**
     * Parses one YAML document. Syntax errors, duplicate keys and aliases throw a {@link ConfigException}; an empty
     * document yields {@code null}.
     */
    static YamlNode parse(String text) {
        Problems problems = new Problems();
        YamlNode root;
        YamlTree tree = null;
        // A factory per call: it is cheap next to reading a file, and keeps this class free of shared state.
        try (YAMLParser parser = new YAMLFactory().createParser(text)) {
            tree = new YamlTree(parser, problems);
            JsonToken first = parser.nextToken();
            root = first == null ? null : tree.readValue(first);
            if (parser.nextToken() != null) {
                problems.add(ROOT, "the file holds more than one YAML document (---); put the whole config in one");
            }
        } catch (JsonProcessingException e) {
            throw syntaxError(e, tree == null ? "" : tree.path, problems, text);
        } catch (IOException e) {
            // Reading from a String cannot fail with plain I/O; keep the message anyway.
            throw new ConfigException(ROOT, "cannot read YAML: " + e.getMessage(), e);
        }
        problems.throwIfAny();
        return root;
    }

    private YamlNode readValue(JsonToken token) throws IOException {
        int line = line();
        if (parser.isCurrentAlias()) {
            // Jackson hands an alias (*name) back as a string holding the anchor name, which would be silently wrong.
            problems.add(orRoot(path), "YAML aliases (*" + parser.getText() + ") are not supported at line " + line
                    + "; write the value out");
            return new YamlNode.Invalid(line);
        }
        return switch (token) {
            case START_OBJECT -> readMapping(line);
            case START_ARRAY -> readSequence(line);
            case VALUE_STRING, VALUE_EMBEDDED_OBJECT -> scalar(YamlNode.Kind.STRING, null, line);
            case VALUE_NUMBER_INT -> scalar(YamlNode.Kind.INTEGER, longOrNull(), line);
            case VALUE_NUMBER_FLOAT -> scalar(YamlNode.Kind.FLOAT, null, line);
            // YAML 1.1 booleans (yes, on, ...) are told apart by the token; the text stays as written.
            case VALUE_TRUE -> scalar(YamlNode.Kind.TRUE, null, line);
            case VALUE_FALSE -> scalar(YamlNode.Kind.FALSE, null, line);
            case VALUE_NULL -> scalar(YamlNode.Kind.NULL, null, line);
            default -> throw new IllegalStateException("unexpected YAML token " + token + " at line " + line);
        };
    }

    private YamlNode readMapping(int line) throws IOException {
        String parent = path;
        Map<String, YamlNode> entries = new LinkedHashMap<>();
        Map<String, Integer> keyLines = new LinkedHashMap<>();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            int keyLine = line();
            path = Problems.join(parent, key);
            YamlNode value = readValue(parser.nextToken());
            Integer first = keyLines.putIfAbsent(key, keyLine);
            if (first != null) {
                problems.add(path, "duplicate key at line " + keyLine + " (first at line " + first + ")");
            } else {
                entries.put(key, value);
            }
        }
        path = parent;
        expect(token, JsonToken.END_OBJECT);
        return new YamlNode.Mapping(entries, line);
    }

    private YamlNode readSequence(int line) throws IOException {
        String parent = path;
        List<YamlNode> items = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != null) {
            path = parent + "[" + items.size() + "]";
            items.add(readValue(token));
        }
        path = parent;
        expect(token, JsonToken.END_ARRAY);
        return new YamlNode.Sequence(items, line);
    }

    private YamlNode scalar(YamlNode.Kind kind, Long integer, int line) throws IOException {
        return new YamlNode.Scalar(parser.getText(), kind, integer, line);
    }

    private Long longOrNull() {
        try {
            return parser.getLongValue();
        } catch (IOException | RuntimeException e) {
            return null; // too large for a long; the reader reports it as out of range
        }
    }

    private int line() {
        return parser.currentTokenLocation().getLineNr();
    }

    private void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new IllegalStateException("YAML parser ended a container with " + actual + ", not " + expected);
        }
    }

    private static String orRoot(String path) {
        return path.isEmpty() ? ROOT : path;
    }

    /**
     * Turns a parser exception into {@code <path>: YAML syntax error at line L, column C: <problem>}, dropping the
     * multi-line excerpt SnakeYAML and Jackson append so that the message stays one line.
     */
    private static ConfigException syntaxError(JsonProcessingException e, String path, Problems problems,
                                               String text) {
        String problem = e.getOriginalMessage();
        int line = -1;
        int column = -1;
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblem() != null) {
            problem = marked.getProblem();
            Mark mark = marked.getProblemMark();
            if (mark != null) {
                line = mark.getLine() + 1;
                column = mark.getColumn() + 1;
            }
            if (marked.getContext() != null) {
                Mark contextMark = marked.getContextMark();
                problem += " (" + marked.getContext()
                        + (contextMark == null ? "" : " that starts at line " + (contextMark.getLine() + 1)) + ")";
            }
        } else if (e.getLocation() != null) {
            JsonLocation location = e.getLocation();
            line = location.getLineNr();
            column = location.getColumnNr();
        }
        problem = problem == null ? e.getClass().getSimpleName() : problem.lines().findFirst().orElse(problem);
        String where = line > 0 ? " at line " + line + ", column " + column : "";
        if (line > 0 && text.lines().skip(line - 1).findFirst().orElse("").contains("${")) {
            // In flow style ({...} or [...]) the braces of an unquoted placeholder are YAML syntax, a common trip.
            problem += "; quote placeholders inside { } or [ ], e.g. \"${env:NAME}\"";
        }
        // Problems found before the syntax error (duplicate keys, aliases) are still worth showing.
        List<ConfigException.Problem> all = new ArrayList<>(problems.list());
        // The path is where the parser was reading when it gave up: usually the key whose value is malformed.
        all.add(new ConfigException.Problem(orRoot(path), "YAML syntax error" + where + ": " + problem));
        ConfigException result = new ConfigException(all);
        result.initCause(e);
        return result;
    }
}
