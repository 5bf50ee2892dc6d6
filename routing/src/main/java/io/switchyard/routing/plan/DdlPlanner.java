package io.switchyard.routing.plan;

import io.switchyard.routing.merge.MergeSpec;
import io.switchyard.routing.plan.SqlLexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Plans DDL: the statement runs on the only shard of an unsharded keyspace, or on every shard of a sharded one. The
 * keyspace comes from the qualifier of the table the statement names, else the session keyspace; routing rules do
 * not apply, so during a workflow a schema change goes to the keyspace it names.
 *
 * <p>MySQL's DDL grammar is far larger than what routing needs (and than what parser libraries cover), so this reads
 * only the object names, from tokens: {@code TABLE [IF [NOT] EXISTS] name[, name]}, {@code RENAME TABLE a TO b},
 * {@code INDEX i ON name}, {@code TRUNCATE [TABLE] name}, {@code VIEW}/{@code PROCEDURE}/{@code FUNCTION}/
 * {@code TRIGGER}/{@code EVENT} names. Qualifiers of those names are removed from the SQL sent to the shards.
 */
final class DdlPlanner {

    private static final Set<String> OBJECTS = Set.of("TABLE", "VIEW", "INDEX", "PROCEDURE", "FUNCTION", "TRIGGER",
            "EVENT");

    /** A name in the statement: token indexes of the qualifier (-1 if none) and of the name. */
    private record Name(int qualifier, int name) {
    }

    private final String sql;
    private final List<Token> tokens;
    private final List<Name> names = new ArrayList<>();

    private DdlPlanner(String sql) {
        this.sql = sql;
        this.tokens = SqlLexer.significant(sql);
    }

    static Template compile(String sql, PlanContext context) {
        return new DdlPlanner(sql).plan(context);
    }

    private Template plan(PlanContext context) {
        String verb = SqlLexer.upper(sql, tokens.get(0));
        if (tokens.size() > 1 && (tokens.get(1).isWord(sql, "DATABASE") || tokens.get(1).isWord(sql, "SCHEMA"))) {
            throw RoutingException.unsupported(verb + " DATABASE through the gateway: keyspaces are defined in its"
                    + " config");
        }
        findNames(verb);
        KeyspaceSchema keyspace = null;
        List<String> tables = new ArrayList<>();
        for (Name name : names) {
            String qualifier = name.qualifier() < 0 ? null : SqlLexer.identifier(sql, tokens.get(name.qualifier()));
            String table = SqlLexer.identifier(sql, tokens.get(name.name()));
            KeyspaceSchema resolved = context.resolver.resolveForDdl(qualifier, table);
            if (keyspace != null && !keyspace.name().equals(resolved.name())) {
                throw RoutingException.unsupported("DDL across keyspaces " + keyspace.name() + " and "
                        + resolved.name() + "; run it in each keyspace");
            }
            keyspace = resolved;
            tables.add(resolved.name() + "." + table);
        }
        if (keyspace == null) {
            keyspace = context.resolver.sessionKeyspace().orElseThrow(() -> new RoutingException(
                    RoutingException.NO_DB, "3D000", "No database selected: select a keyspace with USE to run DDL"));
        }
        String stripped = withoutQualifiers();
        Plan plan = keyspace.sharded()
                ? new Plan.Scatter(keyspace.name(), StatementKind.DDL, keyspace.shardNames(), stripped,
                        MergeSpec.CONCAT, tables)
                : new Plan.Unsharded(keyspace.name(), keyspace.shardNames().get(0), StatementKind.DDL, stripped,
                        tables);
        return new Template.Fixed(plan);
    }

    private void findNames(String verb) {
        int i = 1;
        if (verb.equals("TRUNCATE")) {
            i = tokens.size() > 1 && tokens.get(1).isWord(sql, "TABLE") ? 2 : 1;
            readName(i);
            return;
        }
        while (i < tokens.size() && !isObjectKeyword(tokens.get(i)) && !tokens.get(i).isOp(sql, "(")) {
            i++;
        }
        if (i >= tokens.size() || !isObjectKeyword(tokens.get(i))) {
            return;
        }
        boolean index = tokens.get(i).isWord(sql, "INDEX");
        i = skipIfExists(i + 1);
        if (index) {
            while (i < tokens.size() && !tokens.get(i).isWord(sql, "ON")) {
                i++;
            }
            readName(i + 1);
            return;
        }
        i = readName(i);
        while (i < tokens.size() && (tokens.get(i).isOp(sql, ",") || tokens.get(i).isWord(sql, "TO")
                || tokens.get(i).isWord(sql, "LIKE")) && (verb.equals("DROP") || verb.equals("RENAME")
                || tokens.get(i).isWord(sql, "LIKE"))) {
            i = readName(i + 1);
        }
    }

    /** Reads {@code name} or {@code qualifier.name} at {@code i}; returns the index after it. */
    private int readName(int i) {
        if (i >= tokens.size() || !SqlLexer.isIdentifier(tokens.get(i))) {
            return i;
        }
        if (i + 2 < tokens.size() && tokens.get(i + 1).isOp(sql, ".") && SqlLexer.isIdentifier(tokens.get(i + 2))) {
            names.add(new Name(i, i + 2));
            return i + 3;
        }
        names.add(new Name(-1, i));
        return i + 1;
    }

    private int skipIfExists(int i) {
        if (i < tokens.size() && tokens.get(i).isWord(sql, "IF")) {
            i++;
            if (i < tokens.size() && tokens.get(i).isWord(sql, "NOT")) {
                i++;
            }
            if (i < tokens.size() && tokens.get(i).isWord(sql, "EXISTS")) {
                i++;
            }
        }
        return i;
    }

    private boolean isObjectKeyword(Token token) {
        return token.kind() == SqlLexer.Kind.WORD && OBJECTS.contains(SqlLexer.upper(sql, token));
    }

    /** The statement with {@code qualifier.} removed before each name read. */
    private String withoutQualifiers() {
        StringBuilder text = new StringBuilder(sql);
        for (int n = names.size() - 1; n >= 0; n--) {
            Name name = names.get(n);
            if (name.qualifier() >= 0) {
                text.delete(tokens.get(name.qualifier()).start(), tokens.get(name.name()).start());
            }
        }
        return text.toString();
    }
}
