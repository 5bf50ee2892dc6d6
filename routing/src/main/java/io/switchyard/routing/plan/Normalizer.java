package io.switchyard.routing.plan;

import io.switchyard.routing.plan.SqlLexer.Kind;
import io.switchyard.routing.plan.SqlLexer.Token;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a statement into its plan-cache key: literals that routing may depend on become bind variables {@code :vN},
 * and so do the client's {@code ?} placeholders, so {@code WHERE id = 1} and {@code WHERE id = 2} share one plan
 * (as Vitess normalizes into bind variables). Parsing costs tens to hundreds of microseconds; a cache hit then costs
 * one pass of the lexer.
 *
 * <p>Only literals in value positions are replaced: after a comparison operator or LIKE, and items of IN lists and
 * VALUES rows. Literals elsewhere ({@code LIMIT 10}, {@code ORDER BY 1}, {@code CHAR(10)}) stay in the key, because
 * they change the plan or the statement's meaning. Whatever is replaced comes back verbatim in the SQL sent to
 * shards. Line comments become spaces (JSqlParser does not read {@code #}); a trailing {@code ;} is dropped.
 */
final class Normalizer {

    private static final Map<String, StatementKind> FIRST_WORDS = Map.ofEntries(
            Map.entry("SELECT", StatementKind.SELECT), Map.entry("WITH", StatementKind.SELECT),
            Map.entry("INSERT", StatementKind.INSERT), Map.entry("REPLACE", StatementKind.INSERT),
            Map.entry("UPDATE", StatementKind.UPDATE), Map.entry("DELETE", StatementKind.DELETE),
            Map.entry("CREATE", StatementKind.DDL), Map.entry("ALTER", StatementKind.DDL),
            Map.entry("DROP", StatementKind.DDL), Map.entry("TRUNCATE", StatementKind.DDL),
            Map.entry("RENAME", StatementKind.DDL), Map.entry("SET", StatementKind.SET),
            Map.entry("USE", StatementKind.USE), Map.entry("BEGIN", StatementKind.TRANSACTION),
            Map.entry("START", StatementKind.TRANSACTION), Map.entry("COMMIT", StatementKind.TRANSACTION),
            Map.entry("ROLLBACK", StatementKind.TRANSACTION), Map.entry("SAVEPOINT", StatementKind.TRANSACTION),
            Map.entry("RELEASE", StatementKind.TRANSACTION), Map.entry("XA", StatementKind.TRANSACTION),
            Map.entry("LOCK", StatementKind.LOCK), Map.entry("UNLOCK", StatementKind.LOCK),
            Map.entry("SHOW", StatementKind.SHOW), Map.entry("DESCRIBE", StatementKind.SHOW),
            Map.entry("DESC", StatementKind.SHOW), Map.entry("EXPLAIN", StatementKind.SHOW));

    private static final Set<String> COMPARISONS = Set.of("=", "<>", "!=", "<", ">", "<=", ">=", "<=>");

    /**
     * A normalized statement.
     *
     * @param text the cache key and the marked SQL the planner parses
     * @param values one per bind variable, in order; {@code null} where the client's placeholder goes
     * @param parameters the bind indexes of the client's placeholders, in placeholder order
     * @param foreignMarker a {@code :vN} or {@code :sN} the client wrote (not MySQL syntax, and it would collide with
     *     the planner's own markers), or {@code null}
     */
    record NormalizedSql(String text, StatementKind kind, List<BoundValue> values, List<Integer> parameters,
                         String foreignMarker) {
    }

    private Normalizer() {
    }

    static NormalizedSql normalize(String sql) {
        List<Token> tokens = SqlLexer.tokenize(sql);
        StatementKind kind = kind(sql, tokens);
        boolean dml = kind == StatementKind.SELECT || kind == StatementKind.INSERT || kind == StatementKind.UPDATE
                || kind == StatementKind.DELETE;
        int last = lastSignificant(sql, tokens);
        StringBuilder text = new StringBuilder(sql.length() + 16);
        List<BoundValue> values = new ArrayList<>();
        List<Integer> parameters = new ArrayList<>();
        Deque<Boolean> lists = new ArrayDeque<>(); // per open parenthesis: does it hold a list of values?
        int valuesDepth = -1; // the depth where a VALUES clause's rows open, while in one
        Token previous = null;
        String foreignMarker = null;
        for (int i = 0; i <= last; i++) {
            Token token = tokens.get(i);
            String image = token.text(sql);
            if (token.kind() == Kind.NAMED && image.matches(":[vs]\\d+") && foreignMarker == null) {
                foreignMarker = image;
            }
            if (token.kind() == Kind.LINE_COMMENT) {
                text.append(' ');
                continue;
            }
            if (!token.significant()) {
                text.append(image);
                continue;
            }
            boolean inList = !lists.isEmpty() && lists.peek();
            boolean marked = true;
            boolean valuePosition = previous != null && (previous.kind() == Kind.OP
                    && COMPARISONS.contains(previous.text(sql)) || previous.isWord(sql, "LIKE")
                    || inList && (previous.isOp(sql, "(") || previous.isOp(sql, ",")));
            if (dml && token.kind() == Kind.PARAM) {
                parameters.add(values.size());
                text.append(SqlTemplate.bind(values.size()));
                values.add(null);
            } else if (dml && valuePosition && isLiteral(sql, token)) {
                text.append(SqlTemplate.bind(values.size()));
                values.add(literal(image, token.kind()));
            } else if (dml && valuePosition && token.isOp(sql, "-") && nextIsNumber(sql, tokens, i)) {
                int number = nextSignificant(tokens, i);
                String negative = "-" + tokens.get(number).text(sql);
                text.append(SqlTemplate.bind(values.size()));
                values.add(new BoundValue(SqlLiterals.number(negative), negative));
                token = tokens.get(number);
                i = number;
            } else {
                text.append(image);
                marked = false;
            }
            if (marked && i + 1 < tokens.size()
                    && (tokens.get(i + 1).kind() == Kind.WORD || tokens.get(i + 1).kind() == Kind.NUMBER)) {
                text.append(' '); // MySQL reads 'x'AND; the marker :v0AND would swallow the keyword
            }
            if (token.isOp(sql, "(")) {
                boolean list = previous != null && (previous.isWord(sql, "IN") || previous.isWord(sql, "VALUES")
                        || previous.isWord(sql, "VALUE") || inList && (previous.isOp(sql, "(")
                        || previous.isOp(sql, ",")) || lists.size() == valuesDepth && previous.isOp(sql, ","));
                lists.push(list);
            } else if (token.isOp(sql, ")")) {
                lists.poll();
            } else if (token.isWord(sql, "VALUES") || token.isWord(sql, "VALUE")) {
                valuesDepth = lists.size();
            } else if (lists.size() == valuesDepth && !token.isOp(sql, ",")) {
                valuesDepth = -1;
            }
            previous = token;
        }
        return new NormalizedSql(text.toString(), kind, values, parameters, foreignMarker);
    }

    /** The statement kind from its first word; {@code (} starts a parenthesized SELECT. */
    static StatementKind kind(String sql, List<Token> tokens) {
        for (Token token : tokens) {
            if (!token.significant()) {
                continue;
            }
            if (token.isOp(sql, "(")) {
                return StatementKind.SELECT;
            }
            String word = token.kind() == Kind.WORD ? token.text(sql).toUpperCase(Locale.ROOT) : "";
            return FIRST_WORDS.getOrDefault(word, StatementKind.OTHER);
        }
        return StatementKind.OTHER;
    }

    private static boolean isLiteral(String sql, Token token) {
        if (token.kind() == Kind.STRING) {
            return true;
        }
        if (token.kind() != Kind.NUMBER) {
            return false;
        }
        String image = token.text(sql);
        return !(image.startsWith("0x") || image.startsWith("0b"));
    }

    private static BoundValue literal(String image, Kind kind) {
        Object value = kind == Kind.STRING ? SqlLiterals.unquote(image) : SqlLiterals.number(image);
        return new BoundValue(value, image);
    }

    private static boolean nextIsNumber(String sql, List<Token> tokens, int i) {
        int next = nextSignificant(tokens, i);
        return next > 0 && isLiteral(sql, tokens.get(next)) && tokens.get(next).kind() == Kind.NUMBER;
    }

    private static int nextSignificant(List<Token> tokens, int i) {
        for (int j = i + 1; j < tokens.size(); j++) {
            if (tokens.get(j).significant()) {
                return j;
            }
        }
        return -1;
    }

    /** The index of the last token to keep: trailing semicolons, spaces and comments go. */
    private static int lastSignificant(String sql, List<Token> tokens) {
        int last = tokens.size() - 1;
        while (last >= 0 && (!tokens.get(last).significant() || tokens.get(last).isOp(sql, ";"))) {
            last--;
        }
        return last;
    }
}
