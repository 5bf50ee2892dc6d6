package io.switchyard.proxy.session;

/** Lexical helpers over statement text that skip whitespace and comments the way MySQL does. */
public final class SqlText {
    private SqlText() {
    }

    /** Index of the first character that is neither whitespace nor inside a comment; {@code sql.length()} if none. */
    public static int skipBlanks(String sql, int from) {
        int i = from;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#' || (c == '-' && i + 2 <= n && sql.startsWith("--", i)
                    && (i + 2 == n || Character.isWhitespace(sql.charAt(i + 2))))) {
                int eol = sql.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (c == '/' && sql.startsWith("/*", i) && !sql.startsWith("/*!", i) && !sql.startsWith("/*M!", i)) {
                // Executable comments (/*! ... */) are statement text to MySQL, so they are not skipped.
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else {
                return i;
            }
        }
        return n;
    }

    /** The first word of the statement (letters, digits, '_'), or its first symbol, or "" for an empty statement. */
    public static String firstKeyword(String sql) {
        int start = skipBlanks(sql, 0);
        int end = start;
        while (end < sql.length() && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
            end++;
        }
        if (end == start && start < sql.length()) {
            end = start + 1;
        }
        return sql.substring(start, end);
    }

    /** The text after the first keyword, without leading blanks and a trailing ';'. */
    public static String afterFirstKeyword(String sql) {
        int start = skipBlanks(sql, 0) + firstKeyword(sql).length();
        String rest = sql.substring(skipBlanks(sql, start)).strip();
        while (rest.endsWith(";")) {
            rest = rest.substring(0, rest.length() - 1).strip();
        }
        return rest;
    }

    /** Whether {@code word} occurs in {@code sql} as a whole word, ignoring case (no parsing: may match in strings). */
    public static boolean containsWord(String sql, String word) {
        int from = 0;
        int len = word.length();
        while (true) {
            int i = indexOfIgnoreCase(sql, word, from);
            if (i < 0) {
                return false;
            }
            boolean startOk = i == 0 || !isWordChar(sql.charAt(i - 1));
            boolean endOk = i + len == sql.length() || !isWordChar(sql.charAt(i + len));
            if (startOk && endOk) {
                return true;
            }
            from = i + 1;
        }
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private static int indexOfIgnoreCase(String text, String word, int from) {
        int max = text.length() - word.length();
        for (int i = from; i <= max; i++) {
            if (text.regionMatches(true, i, word, 0, word.length())) {
                return i;
            }
        }
        return -1;
    }
}
