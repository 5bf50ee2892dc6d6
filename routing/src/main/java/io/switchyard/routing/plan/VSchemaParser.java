package io.switchyard.routing.plan;

import io.switchyard.routing.plan.SqlLexer.Token;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Parses Vitess's {@code ALTER VSCHEMA} statements, which no SQL parser library knows. The grammar is a handful of
 * fixed forms, so a cursor over {@link SqlLexer} tokens is all it takes:
 *
 * <pre>
 * ALTER VSCHEMA CREATE VINDEX [ks.]name USING type
 * ALTER VSCHEMA ON [ks.]t ADD VINDEX name(column) [USING type]
 * ALTER VSCHEMA ON [ks.]t DROP VINDEX name
 * ALTER VSCHEMA ADD TABLE [ks.]t          ALTER VSCHEMA DROP TABLE [ks.]t
 * ALTER VSCHEMA ADD SEQUENCE [ks.]t_seq
 * ALTER VSCHEMA ON [ks.]t ADD AUTO_INCREMENT column USING [ks.]t_seq
 * ALTER VSCHEMA ON [ks.]t DROP AUTO_INCREMENT
 * </pre>
 *
 * Keywords are case-insensitive; names may be backquoted; unqualified names take the session keyspace.
 */
final class VSchemaParser {

    static final String FORMS = "ALTER VSCHEMA ON ks.t ADD VINDEX name(column) USING hash | ON ks.t DROP VINDEX name"
            + " | ADD TABLE ks.t | DROP TABLE ks.t | ADD SEQUENCE ks.t_seq | ON ks.t ADD AUTO_INCREMENT column USING"
            + " ks.t_seq | ON ks.t DROP AUTO_INCREMENT | CREATE VINDEX ks.name USING hash";

    private final String sql;
    private final List<Token> tokens;
    private final Optional<String> sessionKeyspace;
    private int next;

    private VSchemaParser(String sql, Optional<String> sessionKeyspace) {
        this.sql = sql;
        this.tokens = SqlLexer.significant(sql);
        this.sessionKeyspace = sessionKeyspace;
    }

    /** Whether a statement is an ALTER VSCHEMA statement (its first two words). */
    static boolean isAlterVSchema(String sql, List<Token> significant) {
        return significant.size() >= 2 && significant.get(0).isWord(sql, "ALTER")
                && significant.get(1).isWord(sql, "VSCHEMA");
    }

    /**
     * Parses one statement.
     *
     * @throws RoutingException 1064 for a syntax error, 1046 for an unqualified name without a session keyspace
     */
    static VSchemaChange parse(String sql, Optional<String> sessionKeyspace) {
        return new VSchemaParser(sql, sessionKeyspace).statement();
    }

    private VSchemaChange statement() {
        expect("ALTER");
        expect("VSCHEMA");
        VSchemaChange change;
        if (accept("ON")) {
            String[] table = name();
            change = tableChange(table[0], table[1]);
        } else if (accept("CREATE")) {
            expect("VINDEX");
            String[] vindex = name();
            expect("USING");
            change = new VSchemaChange.CreateVindex(vindex[0], vindex[1], type());
        } else if (accept("ADD")) {
            if (accept("TABLE")) {
                String[] table = name();
                change = new VSchemaChange.AddTable(table[0], table[1]);
            } else {
                expect("SEQUENCE");
                String[] table = name();
                change = new VSchemaChange.AddSequence(table[0], table[1]);
            }
        } else {
            expect("DROP");
            expect("TABLE");
            String[] table = name();
            change = new VSchemaChange.DropTable(table[0], table[1]);
        }
        while (next < tokens.size() && tokens.get(next).isOp(sql, ";")) {
            next++;
        }
        if (next < tokens.size()) {
            throw error("unexpected '" + tokens.get(next).text(sql) + "' after the statement");
        }
        return change;
    }

    private VSchemaChange tableChange(String keyspace, String table) {
        if (accept("ADD")) {
            if (accept("VINDEX")) {
                String vindex = identifier("a vindex name");
                expectOp("(");
                String column = identifier("a column name");
                if (peekOp(",")) {
                    throw error("multi-column vindexes are not supported; give one column");
                }
                expectOp(")");
                Optional<String> type = accept("USING") ? Optional.of(type()) : Optional.empty();
                return new VSchemaChange.AddVindex(keyspace, table, vindex, column, type);
            }
            expect("AUTO_INCREMENT");
            String column = identifier("a column name");
            expect("USING");
            String[] sequence = rawName();
            String written = sequence[0] == null ? sequence[1] : sequence[0] + "." + sequence[1];
            return new VSchemaChange.AddAutoIncrement(keyspace, table, column, written);
        }
        expect("DROP");
        if (accept("VINDEX")) {
            return new VSchemaChange.DropVindex(keyspace, table, identifier("a vindex name"));
        }
        expect("AUTO_INCREMENT");
        return new VSchemaChange.DropAutoIncrement(keyspace, table);
    }

    /** {@code [ks.]name} qualified with the session keyspace: {keyspace, name}. */
    private String[] name() {
        String[] raw = rawName();
        if (raw[0] != null) {
            return raw;
        }
        String keyspace = sessionKeyspace.orElseThrow(() -> new RoutingException(RoutingException.NO_DB, "3D000",
                "No database selected: qualify " + raw[1] + " as keyspace." + raw[1] + " or select a keyspace"
                        + " with USE"));
        return new String[] {keyspace, raw[1]};
    }

    /** {@code [ks.]name} as written: {keyspace or null, name}. */
    private String[] rawName() {
        String first = identifier("a name");
        if (peekOp(".")) {
            next++;
            return new String[] {first, identifier("a name after '" + first + ".'")};
        }
        return new String[] {null, first};
    }

    private String type() {
        return identifier("a vindex type").toLowerCase(Locale.ROOT);
    }

    private String identifier(String what) {
        if (next >= tokens.size() || !SqlLexer.isIdentifier(tokens.get(next))) {
            throw error("expected " + what + here());
        }
        return SqlLexer.identifier(sql, tokens.get(next++));
    }

    private boolean accept(String word) {
        if (next < tokens.size() && tokens.get(next).isWord(sql, word)) {
            next++;
            return true;
        }
        return false;
    }

    private void expect(String word) {
        if (!accept(word)) {
            throw error("expected " + word + here());
        }
    }

    private boolean peekOp(String op) {
        return next < tokens.size() && tokens.get(next).isOp(sql, op);
    }

    private void expectOp(String op) {
        if (!peekOp(op)) {
            throw error("expected '" + op + "'" + here());
        }
        next++;
    }

    private String here() {
        return next < tokens.size() ? " near '" + tokens.get(next).text(sql) + "'" : " at the end";
    }

    private RoutingException error(String problem) {
        return RoutingException.syntax("ALTER VSCHEMA syntax error: " + problem + "; the forms are: " + FORMS);
    }
}
