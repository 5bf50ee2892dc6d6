package io.switchyard.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Typed reads from one YAML mapping at a known key path. Every read reports its own problem (missing, wrong type,
 * unparseable) and returns {@code null} instead of throwing, so the binder goes on and finds the next problem too.
 * A key whose value is YAML null ({@code key:} or {@code key: ~}) counts as absent.
 */
final class MappingReader {

    private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,19}");

    private final YamlNode.Mapping mapping;
    private final Problems at;

    private MappingReader(YamlNode.Mapping mapping, Problems at) {
        this.mapping = mapping;
        this.at = at;
    }

    /**
     * A reader over {@code node}, or {@code null} (reported) when it is not a mapping. Keys other than {@code keys}
     * are reported: a misspelt optional key would otherwise be silently ignored and its default used.
     */
    static MappingReader of(YamlNode node, Problems at, List<String> keys) {
        if (node instanceof YamlNode.Invalid) {
            return null;
        }
        if (!(node instanceof YamlNode.Mapping mapping)) {
            at.add("expected a mapping with keys " + String.join(", ", keys) + ", found " + describe(node));
            return null;
        }
        for (String key : mapping.entries().keySet()) {
            if (!keys.contains(key)) {
                at.add(key, "unknown key; expected one of " + String.join(", ", keys));
            }
        }
        return new MappingReader(mapping, at);
    }

    Problems at() {
        return at;
    }

    /** The value of {@code key}, or {@code null} when absent or YAML null. */
    YamlNode node(String key) {
        YamlNode node = mapping.entries().get(key);
        return node instanceof YamlNode.Scalar s && s.isNull() ? null : node;
    }

    boolean has(String key) {
        return mapping.entries().containsKey(key);
    }

    /** Reports {@code key: missing; <hint>} and returns {@code null}. */
    <T> T missing(String key, String hint) {
        at.add(key, "missing; " + hint);
        return null;
    }

    String string(String key, String defaultValue) {
        YamlNode node = node(key);
        return node == null ? defaultValue : text(node, at.at(key), "a string");
    }

    String requiredString(String key, String hint) {
        YamlNode node = node(key);
        return node == null ? missing(key, hint) : text(node, at.at(key), "a string");
    }

    Integer integer(String key, int defaultValue) {
        Long value = longValue(key, defaultValue);
        if (value != null && (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)) {
            at.add(key, Problems.quote(value) + " is out of range");
            return null;
        }
        return value == null ? null : value.intValue();
    }

    Long longValue(String key, long defaultValue) {
        YamlNode node = node(key);
        if (node == null) {
            return defaultValue;
        }
        if (node instanceof YamlNode.Scalar s && s.kind() == YamlNode.Kind.INTEGER && s.integer() != null) {
            return s.integer();
        }
        // Strings of digits are accepted because a placeholder always yields a string: port: ${env:PORT}.
        String text = text(node, at.at(key), "an integer");
        if (text == null) {
            return null;
        }
        if (!INTEGER.matcher(text.trim()).matches()) {
            at.add(key, Problems.quote(text) + " is not an integer");
            return null;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            at.add(key, Problems.quote(text) + " is out of range");
            return null;
        }
    }

    Boolean bool(String key, boolean defaultValue) {
        YamlNode node = node(key);
        if (node == null) {
            return defaultValue;
        }
        if (node instanceof YamlNode.Scalar s && (s.kind() == YamlNode.Kind.TRUE || s.kind() == YamlNode.Kind.FALSE)) {
            return s.kind() == YamlNode.Kind.TRUE;
        }
        String text = text(node, at.at(key), "true or false");
        if (text == null) {
            return null;
        }
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        at.add(key, Problems.quote(text) + " is not true or false");
        return null;
    }

    Duration duration(String key, Duration defaultValue) {
        YamlNode node = node(key);
        if (node == null) {
            return defaultValue;
        }
        String text = text(node, at.at(key), "a duration such as 10s");
        return text == null ? null : parse(key, () -> Durations.parse(text));
    }

    Endpoint endpoint(String key, String missingHint) {
        YamlNode node = node(key);
        return node == null ? missing(key, missingHint) : endpoint(node, at.at(key));
    }

    /** An enum written as its lowercase constant name; {@code defaultValue} null makes the key required. */
    <E extends Enum<E>> E enumValue(String key, Class<E> type, String what, E defaultValue) {
        YamlNode node = node(key);
        String known = Arrays.stream(type.getEnumConstants()).map(MappingReader::yamlName)
                .collect(Collectors.joining(", "));
        if (node == null) {
            return defaultValue != null ? defaultValue : missing(key, "one of " + known);
        }
        String text = text(node, at.at(key), what);
        if (text == null) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (yamlName(constant).equalsIgnoreCase(text.trim())) {
                return constant;
            }
        }
        at.add(key, Problems.quote(text) + " is not a known " + what + " (known: " + known + ")");
        return null;
    }

    /** The items of a list value; {@code null} (reported when not a list) if absent or not a list. */
    List<YamlNode> list(String key) {
        YamlNode node = node(key);
        if (node == null || node instanceof YamlNode.Invalid) {
            return null;
        }
        if (node instanceof YamlNode.Sequence sequence) {
            return sequence.items();
        }
        at.add(key, "expected a list, found " + describe(node));
        return null;
    }

    /** The entries of a mapping value whose keys are names chosen by the user (vindexes, tables). */
    YamlNode.Mapping namedEntries(String key) {
        YamlNode node = node(key);
        if (node == null || node instanceof YamlNode.Invalid) {
            return null;
        }
        if (node instanceof YamlNode.Mapping m) {
            return m;
        }
        at.add(key, "expected a mapping of names to definitions, found " + describe(node));
        return null;
    }

    static Endpoint endpoint(YamlNode node, Problems at) {
        String text = text(node, at, "host:port");
        if (text == null) {
            return null;
        }
        try {
            return Endpoint.parse(text);
        } catch (ConfigException e) {
            at.addAll(e);
            return null;
        }
    }

    /** A scalar's text. Numbers and booleans count as text, so that {@code name: 0} and {@code password: 1234} work. */
    static String text(YamlNode node, Problems at, String expected) {
        if (node instanceof YamlNode.Scalar s && !s.isNull()) {
            return s.text();
        }
        if (!(node instanceof YamlNode.Invalid)) {
            at.add("expected " + expected + ", found " + describe(node));
        }
        return null;
    }

    private <T> T parse(String key, Supplier<T> parser) {
        try {
            return parser.get();
        } catch (ConfigException e) {
            at.at(key).addAll(e);
            return null;
        }
    }

    private static String describe(YamlNode node) {
        return node instanceof YamlNode.Scalar s && !s.isNull() ? s.describe() + " " + Problems.quote(s.text())
                : node.describe();
    }

    static String yamlName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }
}
