package io.switchyard.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed YAML document as a small tree that remembers line numbers. We read YAML with Jackson's streaming parser
 * into this tree rather than data-binding straight into records: binding stops at the first error and loses the key
 * path, while walking the tree ourselves lets every problem be reported with its path, and all of them at once.
 */
sealed interface YamlNode {

    /** 1-based line of the node in the source text, for messages that point at the file. */
    int line();

    /** How the node reads in a message: "a mapping", "a list", "a string", ... */
    String describe();

    enum Kind { STRING, INTEGER, FLOAT, TRUE, FALSE, NULL }

    /**
     * A scalar keeps its source text, so {@code name: -80} (an integer to YAML) still reads as the shard name "-80".
     * {@code integer} is set for integer scalars that fit in a long.
     */
    record Scalar(String text, Kind kind, Long integer, int line) implements YamlNode {
        @Override
        public String describe() {
            return switch (kind) {
                case STRING -> "a string";
                case INTEGER -> "an integer";
                case FLOAT -> "a number";
                case TRUE, FALSE -> "a boolean";
                case NULL -> "nothing (null)";
            };
        }

        boolean isNull() {
            return kind == Kind.NULL;
        }
    }

    /** A mapping in document order. */
    record Mapping(Map<String, YamlNode> entries, int line) implements YamlNode {
        public Mapping {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        @Override
        public String describe() {
            return "a mapping";
        }
    }

    record Sequence(List<YamlNode> items, int line) implements YamlNode {
        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }

    /**
     * A value already reported as broken (an unresolved placeholder). Readers skip it silently so that one mistake
     * gives one message rather than a cascade ("missing", "not host:port", ...).
     */
    record Invalid(int line) implements YamlNode {
        @Override
        public String describe() {
            return "an invalid value";
        }
    }
}
