package io.switchyard.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects configuration problems under a key path instead of failing on the first one. {@link #at(String)} gives a
 * view that prefixes a child path, so checks can be written against relative keys ({@code mysql_port}) and reused by
 * both the YAML binder (which knows the absolute path) and the records' constructors (which do not).
 */
final class Problems {

    private final List<ConfigException.Problem> sink;
    private final String prefix;

    Problems() {
        this(new ArrayList<>(), "");
    }

    private Problems(List<ConfigException.Problem> sink, String prefix) {
        this.sink = sink;
        this.prefix = prefix;
    }

    /** A view whose paths are relative to {@code child}; problems added to it land in the same list. */
    Problems at(String child) {
        return new Problems(sink, join(prefix, child));
    }

    void add(String child, String message) {
        sink.add(new ConfigException.Problem(join(prefix, child), message));
    }

    /** Adds a problem about this view's own path. */
    void add(String message) {
        add("", message);
    }

    /** Re-homes the problems of a failed constructor or parse under this view's path. */
    void addAll(ConfigException e) {
        for (ConfigException.Problem p : e.problems()) {
            add(p.path(), p.message());
        }
    }

    /** Number of problems recorded so far in the whole list (not only under this view). */
    int count() {
        return sink.size();
    }

    List<ConfigException.Problem> list() {
        return List.copyOf(sink);
    }

    void throwIfAny() {
        if (!sink.isEmpty()) {
            throw new ConfigException(sink);
        }
    }

    /** Joins key paths: {@code ("a", "b") -> "a.b"}, {@code ("a", "[0]") -> "a[0]"}, empty parts vanish. */
    static String join(String parent, String child) {
        if (parent.isEmpty()) {
            return child;
        }
        if (child.isEmpty()) {
            return parent;
        }
        return child.startsWith("[") ? parent + child : parent + "." + child;
    }

    /** Quotes a value for an error message the way every message in this module does. */
    static String quote(Object value) {
        return "\"" + value + "\"";
    }
}
