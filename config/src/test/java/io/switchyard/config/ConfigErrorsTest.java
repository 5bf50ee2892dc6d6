package io.switchyard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each bad config must fail with the key path and the bad value in the message, and only with what is wrong. */
class ConfigErrorsTest {

    private static final String HEADER = """
            users:
              - {name: root, password: "", role: admin}
            topology:
              dsn: "mysql://root:@127.0.0.1:3306/switchyard_topo"
            """;

    private static final String COMMERCE = """
            keyspaces:
              - name: commerce
                shards:
                  - {name: "0", primary: 127.0.0.1:3306}
                vschema:
                  tables:
                    customer_seq: {type: sequence}
            """;

    /** A sharded keyspace at keyspaces[1] with the given shards block (indented as list items under shards:). */
    private static String customer(String shards) {
        return HEADER + COMMERCE + """
                  - name: customer
                    sharded: true
                    shards:
                """ + shards.indent(6) + """
                    vschema:
                      vindexes:
                        hash: {type: hash}
                      tables:
                        customer:
                          column_vindexes: [{column: customer_id, name: hash}]
                          auto_increment: {column: customer_id, sequence: customer_seq}
                """;
    }

    private static String twoShards(String first, String second) {
        return customer("- {name: \"" + first + "\", primary: 127.0.0.1:3310}\n"
                + "- {name: \"" + second + "\", primary: 127.0.0.1:3311}\n");
    }

    private static String message(String yaml) {
        return message(yaml, PlaceholderResolver.none());
    }

    private static String message(String yaml, PlaceholderResolver resolver) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, resolver)).getMessage();
    }

    @Test
    void theFixturesAreValid() {
        ConfigLoader.parse(twoShards("-80", "80-"), PlaceholderResolver.none());
        // -80 ends where 8000- starts: a shorter bound is the longer one padded with zeros.
        ConfigLoader.parse(twoShards("-80", "8000-"), PlaceholderResolver.none());
        ConfigLoader.parse(customer("- {name: \"-\", primary: 127.0.0.1:3310}"), PlaceholderResolver.none());
    }

    @Test
    void gapBetweenShards() {
        String yaml = customer("""
                - {name: "-40", primary: 127.0.0.1:3310}
                - {name: "80-", primary: 127.0.0.1:3311}
                """);
        assertEquals("keyspaces[1].shards: gap between \"-40\" and \"80-\" (keyspace ids 40..80 belong to no shard)",
                message(yaml));
    }

    @Test
    void gapsAtTheEdges() {
        assertEquals("keyspaces[1].shards: gap before \"40-80\" (keyspace ids below 40 belong to no shard)\n"
                + "keyspaces[1].shards: gap after \"80-c0\" (keyspace ids from c0 up belong to no shard)",
                message(twoShards("40-80", "80-c0")));
    }

    @Test
    void overlappingShards() {
        String yaml = customer("""
                - {name: "-80", primary: 127.0.0.1:3310}
                - {name: "c0-", primary: 127.0.0.1:3312}
                - {name: "40-c0", primary: 127.0.0.1:3311}
                """);
        assertEquals("keyspaces[1].shards: \"-80\" and \"40-c0\" overlap", message(yaml));
    }

    @Test
    void badKeyRangeName() {
        assertEquals("keyspaces[1].shards[1].name: \"80-7f\" is not a keyrange: start 80 is not below end 7f",
                message(twoShards("-80", "80-7f")));
        assertEquals("keyspaces[1].shards[0].name: \"0\" is not a keyrange; shards of a sharded keyspace are named by "
                + "keyrange, e.g. \"-80\" and \"80-\" (or \"-\" for a single shard)",
                message(customer("- {name: \"0\", primary: 127.0.0.1:3310}")));
    }

    @Test
    void duplicateKeyspace() {
        String yaml = HEADER + COMMERCE + """
                  - name: other
                    shards: [{name: "0", primary: 127.0.0.1:3307}]
                  - name: commerce
                    database: commerce2
                    shards: [{name: "0", primary: 127.0.0.1:3308}]
                """;
        assertEquals("keyspaces[2].name: \"commerce\" is a duplicate of keyspaces[0]", message(yaml));
    }

    @Test
    void unknownVindexType() {
        String yaml = customer("- {name: \"-\", primary: 127.0.0.1:3310}").replace("{type: hash}", "{type: md5}");
        assertEquals("keyspaces[1].vschema.vindexes.hash.type: \"md5\" is not a known vindex type "
                + "(known: hash, xxhash)", message(yaml));
    }

    @Test
    void shardWithoutPrimary() {
        String yaml = HEADER + """
                keyspaces:
                  - name: commerce
                    shards:
                      - name: "0"
                        replicas: [127.0.0.1:3307]
                """;
        assertEquals("keyspaces[0].shards[0].primary: missing; every shard needs a primary (host:port)", message(yaml));
    }

    @Test
    void unknownKey() {
        String yaml = HEADER + COMMERCE.replace("    shards:", "    shardz:");
        assertEquals("keyspaces[0].shardz: unknown key; expected one of name, sharded, database, credentials, tls, "
                + "shards, vschema\n"
                + "keyspaces[0].shards: missing; every keyspace needs its shards, e.g. [{name: \"0\", primary: "
                + "127.0.0.1:3306}]", message(yaml));
    }

    @Test
    void badPort() {
        String yaml = "listeners: {mysql_port: 99999, http_port: abc}\n" + HEADER + COMMERCE;
        // Values that cannot be read come first (in key order), then rules on the values that could.
        assertEquals("listeners.http_port: \"abc\" is not an integer\n"
                + "listeners.mysql_port: \"99999\" is not a port number (1..65535)", message(yaml));
    }

    @Test
    void badEndpoint() {
        String yaml = HEADER + COMMERCE.replace("127.0.0.1:3306", "db1");
        assertEquals("keyspaces[0].shards[0].primary: \"db1\" is not host:port (e.g. 127.0.0.1:3306)", message(yaml));
        yaml = HEADER + COMMERCE.replace("127.0.0.1:3306", "db1:0");
        assertEquals("keyspaces[0].shards[0].primary: \"db1:0\": \"0\" is not a port number (1..65535)", message(yaml));
    }

    @Test
    void badDuration() {
        String yaml = HEADER + COMMERCE + "backend: {connect_timeout: 10, pool_idle_timeout: 0s, pool_max_size: 0}\n";
        assertEquals("backend.connect_timeout: \"10\" is not a duration; write a whole number and a unit: 500ms, 10s, "
                + "5m or 1h\n"
                + "backend.pool_max_size: \"0\" is too small; a pool needs at least 1 connection\n"
                + "backend.pool_idle_timeout: \"0s\" must be longer than zero", message(yaml));
    }

    @Test
    void unresolvedPlaceholderNamesItAndItsLine() {
        String yaml = HEADER.replace("password: \"\"", "password: \"${env:ROOT_PASSWORD}\"") + COMMERCE
                .replace("127.0.0.1:3306", "\"${sandbox:commerce/0/primary}\"");
        assertEquals("users[0].password: unresolved placeholder ${env:ROOT_PASSWORD} at line 2 (environment variable "
                + "ROOT_PASSWORD is not set)\n"
                + "keyspaces[0].shards[0].primary: unresolved placeholder ${sandbox:commerce/0/primary} at line 8 "
                + "(nothing provides \"sandbox:\" placeholders here)", message(yaml));
    }

    @Test
    void malformedPlaceholder() {
        String yaml = HEADER + COMMERCE.replace("127.0.0.1:3306", "\"${PRIMARY}\"");
        assertEquals("keyspaces[0].shards[0].primary: \"${PRIMARY}\" is not a placeholder; write ${prefix:name}, e.g. "
                + "${env:NAME} at line 8", message(yaml));
    }

    @Test
    void allProblemsAreReportedTogether() {
        String yaml = """
                listeners: {mysql_port: 0}
                users:
                  - {name: app, password: app, role: app}
                  - {name: app, password: x, role: superuser}
                  - {name: bob, password: x, role: app}
                  - {name: bob, password: y, role: admin}
                topology: {dsn: "postgres://x@h:1/d"}
                keyspaces:
                  - name: "bad name"
                    shards: [{name: "0", primary: 127.0.0.1:3306}]
                  - name: customer
                    sharded: true
                    shards:
                      - {name: "-80", primary: 127.0.0.1:3310}
                      - {name: "40-", primary: 127.0.0.1:3311}
                    vschema:
                      tables:
                        customer: {}
                        seq: {type: sequence}
                """;
        assertEquals(String.join("\n",
                "listeners.mysql_port: \"0\" is not a port number (1..65535)",
                "users[1].role: \"superuser\" is not a known role (known: admin, app)",
                "topology.dsn: \"postgres://x@h:1/d\" is not a mysql:// or mariadb:// URL; expected "
                        + "mysql://user[:password]@host:port/database",
                "keyspaces[0].name: \"bad name\" is not a valid name (letters, digits and _, at most 64 characters)",
                "keyspaces[0].database: \"bad name\" is not a database name (letters, digits, _, $ and -, at most 64 "
                        + "characters)",
                "keyspaces[1].shards: \"-80\" and \"40-\" overlap",
                "keyspaces[1].vschema.tables.customer.column_vindexes: missing; a table in sharded keyspace "
                        + "\"customer\" needs at least one column vindex (the first decides each row's shard)",
                "keyspaces[1].vschema.tables.seq.type: \"sequence\" tables must be in an unsharded keyspace; "
                        + "\"customer\" is sharded",
                "users[3].name: \"bob\" is a duplicate of users[2]"), message(yaml));
    }

    @Test
    void vschemaReferences() {
        String yaml = customer("- {name: \"-\", primary: 127.0.0.1:3310}")
                .replace("name: hash}]", "name: hsh}]")
                .replace("sequence: customer_seq}", "sequence: commerce.nope}");
        assertEquals("keyspaces[1].vschema.tables.customer.column_vindexes[0].name: \"hsh\" is not a vindex of "
                + "keyspace \"customer\" (defined: hash)\n"
                + "keyspaces[1].vschema.tables.customer.auto_increment.sequence: \"commerce.nope\": keyspace "
                + "\"commerce\" has no table \"nope\" in its vschema", message(yaml));
    }

    @Test
    void unqualifiedSequenceMustBeUnique() {
        String yaml = customer("- {name: \"-\", primary: 127.0.0.1:3310}") + """
                  - name: other
                    shards: [{name: "0", primary: 127.0.0.1:3320}]
                    vschema: {tables: {customer_seq: {type: sequence}}}
                """;
        assertEquals("keyspaces[1].vschema.tables.customer.auto_increment.sequence: \"customer_seq\" is ambiguous: it "
                + "is a sequence table in keyspaces commerce, other; write keyspace.customer_seq", message(yaml));
        String missing = customer("- {name: \"-\", primary: 127.0.0.1:3310}").replace("customer_seq}", "nothing}");
        assertEquals("keyspaces[1].vschema.tables.customer.auto_increment.sequence: \"nothing\" is not a sequence "
                + "table in any unsharded keyspace (declare it with type: sequence in that keyspace's vschema.tables)",
                message(missing));
    }

    @Test
    void unquotedPlaceholderInFlowStyleGetsAHint() {
        String yaml = HEADER.replace("password: \"\"", "password: ${env:ROOT_PASSWORD}") + COMMERCE;
        assertEquals("users[0].password: YAML syntax error at line 2, column 29: expected ',' or '}', but got { "
                + "(while parsing a flow mapping that starts at line 2); quote placeholders inside { } or [ ], e.g. "
                + "\"${env:NAME}\"", message(yaml));
    }

    @Test
    void typeErrorsAreTranslated() {
        assertEquals("users: expected a list, found a mapping\nkeyspaces[0]: expected a mapping with keys name, "
                + "sharded, database, credentials, tls, shards, vschema, found a string \"commerce\"",
                message("""
                        users: {name: root}
                        topology: {dsn: "mysql://root:@127.0.0.1:3306/t"}
                        keyspaces: [commerce]
                        """));
        assertEquals("keyspaces[0].sharded: \"maybe\" is not true or false",
                message(HEADER + COMMERCE.replace("  - name: commerce", "  - name: commerce\n    sharded: maybe")));
    }

    @Test
    void missingSections() {
        assertEquals("users: missing; at least one user, e.g. {name: root, password: \"\", role: admin}\n"
                + "topology: missing; the topology store, e.g. "
                + "{dsn: \"mysql://root:@127.0.0.1:3306/switchyard_topo\"}\n"
                + "keyspaces: missing; at least one keyspace", message("listeners: {}\n"));
        assertEquals("(root): the config is empty; it needs at least users, topology and keyspaces",
                message("# empty\n"));
        assertEquals("users[0].password: missing; write password: \"\" for a user without a password",
                message(HEADER.replace("password: \"\", ", "") + COMMERCE));
    }

    @Test
    void yamlSyntaxErrorsGiveLineAndColumn() {
        String text = message("users:\n  - name: root\n    role: admin: x\n");
        assertEquals("users[0].role: YAML syntax error at line 3, column 16: mapping values are not allowed here",
                text);
        assertEquals("users[0].name: duplicate key at line 3 (first at line 2)",
                message("users:\n  - name: a\n    name: b\n"));
        assertTrue(message("a: &x 1\nb: *x\n").contains("b: YAML aliases (*x) are not supported at line 2"));
    }

    @Test
    void unshardedKeyspaceHasOneShard() {
        String yaml = HEADER + """
                keyspaces:
                  - name: commerce
                    shards:
                      - {name: "-80", primary: 127.0.0.1:3306}
                      - {name: "80-", primary: 127.0.0.1:3307}
                """;
        assertEquals("keyspaces[0].shards: an unsharded keyspace has exactly one shard, named \"0\"; found 2 "
                + "(set sharded: true to split it by keyrange)", message(yaml));
    }

    @Test
    void sameServerAndDatabaseTwice() {
        String yaml = twoShards("-80", "80-").replace("127.0.0.1:3311", "127.0.0.1:3310");
        assertEquals("keyspaces[1].shards[1].primary: \"127.0.0.1:3310\" with database \"customer\" is already used by "
                + "keyspaces[1].shards[0].primary; set another database for the keyspace, or use another server",
                message(yaml));
    }

    @Test
    void tlsCaNeedsAVerifyingMode() {
        String yaml = HEADER + COMMERCE.replace("  - name: commerce", "  - name: commerce\n    tls: {ca: /ca.pem}");
        assertEquals("keyspaces[0].tls.ca: is only used with mode verify_ca or verify_identity, but mode is "
                + "\"disabled\"", message(yaml));
    }

    @Test
    void dsnErrorsNeverShowThePassword() {
        String text = message(HEADER.replace("root:@127.0.0.1:3306/switchyard_topo", "root:hunter2@127.0.0.1/topo")
                + COMMERCE);
        assertEquals("topology.dsn: \"mysql://root:***@127.0.0.1/topo\": \"127.0.0.1\" is not host:port (e.g. "
                + "127.0.0.1:3306)", text);
        assertFalse(text.contains("hunter2"));
    }

    @Test
    void exceptionListsProblemsStructurally() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse(twoShards("-40", "80-"), PlaceholderResolver.none()));
        assertEquals(List.of(new ConfigException.Problem("keyspaces[1].shards",
                "gap between \"-40\" and \"80-\" (keyspace ids 40..80 belong to no shard)")), e.problems());
        assertFalse(e.getMessage().contains("jackson"));
    }

    @Test
    void placeholderValuesAreTypedByTheirKey() {
        PlaceholderResolver env = PlaceholderResolver.environment(Map.of("PORT", "16306", "SHARDED", "false"));
        SwitchyardConfig config = ConfigLoader.parse("listeners: {mysql_port: \"${env:PORT}\"}\n" + HEADER
                + COMMERCE.replace("  - name: commerce", "  - name: commerce\n    sharded: ${env:SHARDED}"), env);
        assertEquals(16306, config.listeners().mysqlPort());
    }
}
