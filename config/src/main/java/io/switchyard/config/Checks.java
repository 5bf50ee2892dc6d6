package io.switchyard.config;

import java.util.regex.Pattern;

/**
 * Single-value rules shared by the records' constructors. Each returns the problem text, or {@code null} when the
 * value is fine, so a caller can either throw or collect.
 */
final class Checks {

    /** Keyspace, vindex and table names: they appear unquoted in SQL and in key paths. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]+");
    /** MySQL's identifier length limit, which keyspace names (also database names by default) must respect. */
    static final int MAX_NAME_LENGTH = 64;

    private Checks() {
    }

    static String port(long port) {
        return port >= 1 && port <= 65535 ? null : Problems.quote(port) + " is not a port number (1..65535)";
    }

    /** A keyspace, vindex or table name. */
    static String name(String name) {
        if (NAME.matcher(name).matches() && name.length() <= MAX_NAME_LENGTH) {
            return null;
        }
        return Problems.quote(name) + " is not a valid name (letters, digits and _, at most " + MAX_NAME_LENGTH
                + " characters)";
    }

    /** A value that must be present and not blank, such as a user name or a file path. */
    static String notBlank(String value) {
        return value.isBlank() ? "must not be empty" : null;
    }

    static void add(Problems problems, String key, String problem) {
        if (problem != null) {
            problems.add(key, problem);
        }
    }
}
