package io.switchyard.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code ${prefix:name}} placeholders in config values. They are substituted in parsed scalar values, never in the raw
 * text, so a password full of YAML syntax ({@code ": #"}) cannot change the document's structure, and a placeholder in
 * a comment is ignored. {@code $${} writes a literal {@code ${}.
 */
public final class Placeholders {

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

    private Placeholders() {
    }

    /**
     * The placeholders used in the values of a YAML config, as raw {@code prefix:name} strings in document order. The
     * demo calls this to learn which sandbox servers to start before it can resolve them.
     *
     * @throws ConfigException if the text is not valid YAML
     */
    public static Set<String> find(String yamlText) {
        Set<String> found = new LinkedHashSet<>();
        YamlNode root = YamlTree.parse(yamlText);
        if (root != null) {
            collect(root, found);
        }
        return Collections.unmodifiableSet(found);
    }

    private static void collect(YamlNode node, Set<String> found) {
        if (node instanceof YamlNode.Mapping m) {
            m.entries().values().forEach(child -> collect(child, found));
        } else if (node instanceof YamlNode.Sequence s) {
            s.items().forEach(child -> collect(child, found));
        } else if (node instanceof YamlNode.Scalar s && s.kind() == YamlNode.Kind.STRING) {
            for (Segment segment : scan(s.text())) {
                if (segment.placeholder() && segment.problem() == null) {
                    found.add(segment.text());
                }
            }
        }
    }

    /**
     * Returns a copy of the tree with placeholders in string values replaced. An unresolved or malformed placeholder
     * is reported with its key path and line, and its value becomes {@link YamlNode.Invalid}.
     */
    static YamlNode substitute(YamlNode node, PlaceholderResolver resolver, Problems at) {
        if (node instanceof YamlNode.Mapping m) {
            Map<String, YamlNode> entries = new LinkedHashMap<>();
            m.entries().forEach((key, child) -> entries.put(key, substitute(child, resolver, at.at(key))));
            return new YamlNode.Mapping(entries, m.line());
        }
        if (node instanceof YamlNode.Sequence s) {
            List<YamlNode> items = new ArrayList<>();
            for (YamlNode child : s.items()) {
                items.add(substitute(child, resolver, at.at("[" + items.size() + "]")));
            }
            return new YamlNode.Sequence(items, s.line());
        }
        if (node instanceof YamlNode.Scalar s && s.kind() == YamlNode.Kind.STRING && s.text().contains("${")) {
            return substituteScalar(s, resolver, at);
        }
        return node;
    }

    private static YamlNode substituteScalar(YamlNode.Scalar scalar, PlaceholderResolver resolver, Problems at) {
        StringBuilder out = new StringBuilder();
        boolean ok = true;
        for (Segment segment : scan(scalar.text())) {
            if (!segment.placeholder()) {
                out.append(segment.text());
            } else if (segment.problem() != null) {
                at.add(segment.problem() + " at line " + scalar.line());
                ok = false;
            } else {
                Optional<String> value = resolve(segment.text(), resolver, at, scalar.line());
                if (value.isPresent()) {
                    out.append(value.get());
                } else {
                    ok = false;
                }
            }
        }
        return ok ? new YamlNode.Scalar(out.toString(), YamlNode.Kind.STRING, null, scalar.line())
                : new YamlNode.Invalid(scalar.line());
    }

    private static Optional<String> resolve(String raw, PlaceholderResolver resolver, Problems at, int line) {
        int colon = raw.indexOf(':');
        String prefix = raw.substring(0, colon);
        String name = raw.substring(colon + 1);
        String where = "${" + raw + "} at line " + line;
        Optional<String> value;
        try {
            value = resolver.resolve(prefix, name);
        } catch (RuntimeException e) {
            at.add("placeholder " + where + " could not be resolved: " + e.getMessage());
            return Optional.empty();
        }
        if (value == null || value.isEmpty()) {
            String hint = PlaceholderResolver.ENV.equals(prefix)
                    ? " (environment variable " + name + " is not set)"
                    : " (nothing provides \"" + prefix + ":\" placeholders here)";
            at.add("unresolved placeholder " + where + hint);
            return Optional.empty();
        }
        return value;
    }

    /** A run of literal text, or a placeholder's {@code prefix:name} body with the problem if it is malformed. */
    private record Segment(String text, boolean placeholder, String problem) {
    }

    private static List<Segment> scan(String value) {
        List<Segment> segments = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            if (value.startsWith("$${", i)) {
                literal.append("${");
                i += 3;
            } else if (value.startsWith("${", i)) {
                if (literal.length() > 0) {
                    segments.add(new Segment(literal.toString(), false, null));
                    literal.setLength(0);
                }
                int close = value.indexOf('}', i + 2);
                if (close < 0) {
                    segments.add(new Segment(value.substring(i), true,
                            "unterminated placeholder " + Problems.quote(value.substring(i))
                                    + "; write ${prefix:name}"));
                    return segments;
                }
                String body = value.substring(i + 2, close);
                segments.add(new Segment(body, true, malformed(body)));
                i = close + 1;
            } else {
                literal.append(value.charAt(i++));
            }
        }
        if (literal.length() > 0) {
            segments.add(new Segment(literal.toString(), false, null));
        }
        return segments;
    }

    private static String malformed(String body) {
        int colon = body.indexOf(':');
        if (colon < 0 || !PREFIX.matcher(body.substring(0, colon)).matches() || colon == body.length() - 1) {
            return Problems.quote("${" + body + "}") + " is not a placeholder; write ${prefix:name}, e.g. ${env:NAME}";
        }
        return null;
    }
}
