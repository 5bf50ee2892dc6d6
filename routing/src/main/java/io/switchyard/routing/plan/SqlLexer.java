package io.switchyard.routing.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits MySQL text into tokens: enough lexing to find literals, placeholders, comments and quoted text, never a
 * grammar. The planner parses statements with JSqlParser; this lexer serves the steps before a parse (normalizing a
 * statement into its plan-cache key) and after it (splitting rendered SQL into a template), and the two tiny
 * grammars JSqlParser does not know ({@code ALTER VSCHEMA}, DDL table names).
 *
 * <p>Tokens cover the input exactly: concatenating their texts gives the statement back.
 */
final class SqlLexer {

    enum Kind {
        SPACE,
        /** {@code # ...} and {@code -- ...} to the end of the line. */
        LINE_COMMENT,
        /** {@code /* ... *\/}, including optimizer hints and versioned comments. */
        BLOCK_COMMENT,
        /** Keywords, identifiers, {@code @var} and {@code @@var}. */
        WORD,
        /** {@code `name`}. */
        QUOTED_ID,
        /** {@code '...'} or {@code "..."} (a string in MySQL's default mode). */
        STRING,
        /** A string whose prefix changes its value: {@code x'..'}, {@code b'..'}, {@code _latin1'..'}. */
        PREFIXED_STRING,
        /** Decimal, float or {@code 0x}/{@code 0b} numbers. */
        NUMBER,
        /** A prepared-statement placeholder {@code ?}. */
        PARAM,
        /** {@code :name}, which the planner uses internally for bind variables and slots. */
        NAMED,
        OP
    }

    record Token(Kind kind, int start, int end) {

        String text(String sql) {
            return sql.substring(start, end);
        }

        boolean isWord(String sql, String word) {
            return kind == Kind.WORD && end - start == word.length() && sql.regionMatches(true, start, word, 0,
                    word.length());
        }

        boolean isOp(String sql, String op) {
            return kind == Kind.OP && end - start == op.length() && sql.startsWith(op, start);
        }

        boolean significant() {
            return kind != Kind.SPACE && kind != Kind.LINE_COMMENT && kind != Kind.BLOCK_COMMENT;
        }
    }

    private static final String[] OPERATORS = {"<=>", "->>", "<=", ">=", "<>", "!=", ":=", "||", "&&", "<<", ">>",
        "->"};

    private SqlLexer() {
    }

    static List<Token> tokenize(String sql) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int length = sql.length();
        Kind previous = null;
        while (i < length) {
            char c = sql.charAt(i);
            int end;
            Kind kind;
            if (Character.isWhitespace(c)) {
                end = i + 1;
                while (end < length && Character.isWhitespace(sql.charAt(end))) {
                    end++;
                }
                kind = Kind.SPACE;
            } else if (c == '#' || c == '-' && sql.startsWith("--", i)
                    && (i + 2 == length || Character.isWhitespace(sql.charAt(i + 2)))) {
                end = sql.indexOf('\n', i);
                end = end < 0 ? length : end;
                kind = Kind.LINE_COMMENT;
            } else if (c == '/' && sql.startsWith("/*", i)) {
                end = sql.indexOf("*/", i + 2);
                end = end < 0 ? length : end + 2;
                kind = Kind.BLOCK_COMMENT;
            } else if (c == '\'' || c == '"') {
                end = skipQuoted(sql, i);
                kind = Kind.STRING;
            } else if (c == '`') {
                end = skipQuoted(sql, i);
                kind = Kind.QUOTED_ID;
            } else if (Character.isDigit(c) || c == '.' && i + 1 < length && Character.isDigit(sql.charAt(i + 1))
                    && previous != Kind.WORD && previous != Kind.QUOTED_ID) {
                end = skipNumber(sql, i);
                kind = Kind.NUMBER;
                if (end < length && isWordChar(sql.charAt(end))) {
                    end = skipWord(sql, end); // MySQL identifiers may start with digits: 1abc, 0xZZ
                    kind = Kind.WORD;
                }
            } else if (isWordChar(c) || c == '@') {
                end = skipWord(sql, c == '@' ? (sql.startsWith("@@", i) ? i + 2 : i + 1) : i);
                kind = Kind.WORD;
                if (end < length && sql.charAt(end) == '\'' && isStringPrefix(sql, i, end)) {
                    end = skipQuoted(sql, end);
                    kind = Kind.PREFIXED_STRING;
                }
            } else if (c == '?') {
                end = i + 1;
                kind = Kind.PARAM;
            } else if (c == ':' && i + 1 < length && Character.isLetter(sql.charAt(i + 1))) {
                end = skipWord(sql, i + 1);
                kind = Kind.NAMED;
            } else {
                end = i + operatorLength(sql, i);
                kind = Kind.OP;
            }
            tokens.add(new Token(kind, i, end));
            if (kind != Kind.SPACE && kind != Kind.LINE_COMMENT && kind != Kind.BLOCK_COMMENT) {
                previous = kind;
            }
            i = end;
        }
        return tokens;
    }

    /** The significant tokens only: no spaces or comments. */
    static List<Token> significant(String sql) {
        return tokenize(sql).stream().filter(Token::significant).toList();
    }

    /** An identifier token's name: backquotes removed and doubled backquotes undone. */
    static String identifier(String sql, Token token) {
        String text = token.text(sql);
        if (token.kind() == Kind.QUOTED_ID) {
            return text.substring(1, text.length() - 1).replace("``", "`");
        }
        return text;
    }

    /** Whether a token can name a table, column or keyspace. */
    static boolean isIdentifier(Token token) {
        return token.kind() == Kind.WORD || token.kind() == Kind.QUOTED_ID;
    }

    static String upper(String sql, Token token) {
        return token.text(sql).toUpperCase(Locale.ROOT);
    }

    private static int skipQuoted(String sql, int start) {
        char quote = sql.charAt(start);
        int i = start + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\\' && quote != '`') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return sql.length(); // unterminated: the rest is the token, and the parser reports the error
    }

    private static int skipNumber(String sql, int start) {
        int i = start;
        int length = sql.length();
        if (sql.startsWith("0x", i) || sql.startsWith("0b", i)) {
            i += 2;
            while (i < length && Character.isLetterOrDigit(sql.charAt(i))) {
                i++;
            }
            return i;
        }
        while (i < length && Character.isDigit(sql.charAt(i))) {
            i++;
        }
        if (i < length && sql.charAt(i) == '.') {
            i++;
            while (i < length && Character.isDigit(sql.charAt(i))) {
                i++;
            }
        }
        if (i < length && (sql.charAt(i) == 'e' || sql.charAt(i) == 'E')) {
            int exponent = i + 1;
            if (exponent < length && (sql.charAt(exponent) == '+' || sql.charAt(exponent) == '-')) {
                exponent++;
            }
            if (exponent < length && Character.isDigit(sql.charAt(exponent))) {
                i = exponent;
                while (i < length && Character.isDigit(sql.charAt(i))) {
                    i++;
                }
            }
        }
        return i;
    }

    private static int skipWord(String sql, int start) {
        int i = start;
        while (i < sql.length() && isWordChar(sql.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c >= 0x80;
    }

    /** {@code x'..'}, {@code b'..'}, {@code n'..'} and charset introducers such as {@code _utf8mb4'..'}. */
    private static boolean isStringPrefix(String sql, int start, int end) {
        if (end - start == 1) {
            char c = Character.toLowerCase(sql.charAt(start));
            return c == 'x' || c == 'b' || c == 'n';
        }
        return sql.charAt(start) == '_';
    }

    private static int operatorLength(String sql, int i) {
        for (String op : OPERATORS) {
            if (sql.startsWith(op, i)) {
                return op.length();
            }
        }
        return 1;
    }
}
