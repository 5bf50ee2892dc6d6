package io.switchyard.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static io.switchyard.admin.api.JsonFields.flag;
import static io.switchyard.admin.api.JsonFields.object;
import static io.switchyard.admin.api.JsonFields.optionalInt;
import static io.switchyard.admin.api.JsonFields.optionalText;
import static io.switchyard.admin.api.JsonFields.text;

/**
 * Translates external-keyspace API requests into the admin SQL of {@code ExternalKeyspaceCommands}. Names, hosts,
 * the database and the SSL mode keyword are checked against strict patterns; every other value (user, password,
 * PEM text, TLS settings) goes into a string literal through {@link #literal}, which the statement's tokenizer reads
 * back as exactly the value given, whatever quotes, backslashes and line breaks it holds. Whether a value is valid
 * (an SSL mode that exists, a port in range) is left to the SQL side, so the API and the SQL refuse the same things
 * with the same messages. Messages never quote a password or a key.
 */
public final class ExternalKeyspaceStatements {
    /** A DNS name or an IPv4/IPv6 address, as {@code ExternalKeyspace} and {@code Endpoint} will accept it. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,251}[A-Za-z0-9])?"
            + "|[0-9A-Fa-f:.]{2,45}");
    /** A database name as {@code ExternalKeyspace} accepts one. */
    private static final Pattern DATABASE = Pattern.compile("[A-Za-z0-9_$-]{1,64}");
    /** An SSL mode goes into the statement as a keyword, so only a keyword's characters may reach it. */
    private static final Pattern KEYWORD = Pattern.compile("[A-Za-z_-]{1,32}");
    private static final Set<String> CREATE_FIELDS = Set.of("name", "host", "port", "database", "user", "password",
            "ssl_cert", "ssl_key", "ssl_mode", "ssl_ca", "tls_min_version", "ssl_server_name", "import_connections",
            "skip_validation");

    private ExternalKeyspaceStatements() {
    }

    /**
     * {@code POST /api/v1/external-keyspaces}: {@code {name, host, port, database, user, password | ssl_cert +
     * ssl_key, ssl_mode, ssl_ca, tls_min_version, ssl_server_name, import_connections, skip_validation}} →
     * {@code CREATE EXTERNAL KEYSPACE ...}. Only {@code name}, {@code host} and {@code user} are required here; the
     * SQL side says which of password and client certificate is missing or given twice.
     */
    public static String create(JsonNode body) {
        ObjectNode object = object(body, CREATE_FIELDS);
        StringBuilder sql = new StringBuilder("CREATE EXTERNAL KEYSPACE ").append(name(text(object, "name")))
                .append(" HOST ").append(literal(host("host", text(object, "host"))));
        optionalInt(object, "port").ifPresent(port -> sql.append(" PORT ").append(port));
        optionalText(object, "database").ifPresent(database -> {
            if (!DATABASE.matcher(database).matches()) {
                throw ApiError.badRequest("database '" + database + "' is not a database name (letters, digits, _,"
                        + " $ and -, at most 64)").failure();
            }
            sql.append(" DATABASE ").append(literal(database));
        });
        String user = text(object, "user");
        if (user.chars().anyMatch(Character::isISOControl)) {
            throw ApiError.badRequest("user: control characters are not allowed in a user name").failure();
        }
        sql.append(" USER ").append(literal(user));
        clause(sql, object, "password", "PASSWORD");
        clause(sql, object, "ssl_cert", "SSL CERT");
        clause(sql, object, "ssl_key", "SSL KEY");
        optionalText(object, "ssl_mode").ifPresent(mode -> {
            if (!KEYWORD.matcher(mode).matches()) {
                throw ApiError.badRequest("ssl_mode '" + mode + "' is not a mode; use DISABLED, PREFERRED,"
                        + " REQUIRED, VERIFY_CA or VERIFY_IDENTITY").failure();
            }
            sql.append(" SSL MODE ").append(mode);
        });
        clause(sql, object, "ssl_ca", "SSL CA");
        clause(sql, object, "tls_min_version", "TLS MIN VERSION");
        clause(sql, object, "ssl_server_name", "SSL SERVER NAME");
        optionalInt(object, "import_connections").ifPresent(n -> sql.append(" IMPORT CONNECTIONS ").append(n));
        if (flag(object, "skip_validation")) {
            sql.append(" SKIP VALIDATION");
        }
        return sql.toString();
    }

    /** {@code SHOW EXTERNAL KEYSPACES}: the list, and where {@code GET /{name}} finds one. */
    public static String show() {
        return "SHOW EXTERNAL KEYSPACES";
    }

    /** {@code POST /{name}/validate}, which takes no body. */
    public static String validate(String keyspace, JsonNode body) {
        object(body, Set.of());
        return "VALIDATE EXTERNAL KEYSPACE " + name(keyspace);
    }

    /** {@code DELETE /{name}}. */
    public static String drop(String keyspace) {
        return "DROP EXTERNAL KEYSPACE " + name(keyspace);
    }

    /** {@code POST /{name}/replicas} with {@code {host, port}} (port 3306 when left out). */
    public static String addReplica(String keyspace, JsonNode body) {
        ObjectNode object = object(body, Set.of("host", "port"));
        String host = host("host", text(object, "host"));
        Optional<Integer> port = optionalInt(object, "port");
        return "ALTER EXTERNAL KEYSPACE " + name(keyspace) + " ADD REPLICA HOST " + literal(host)
                + port.map(p -> " PORT " + p).orElse("");
    }

    /**
     * {@code DELETE /{name}/replicas/{replica}}, the replica as {@code host}, {@code host:port} or
     * {@code [ipv6]:port} (an IPv6 address without a port may also go bare).
     */
    public static String dropReplica(String keyspace, String replica) {
        String host = replica;
        String port = null;
        if (replica.startsWith("[")) {
            int close = replica.indexOf(']');
            if (close < 0 || !(close == replica.length() - 1 || replica.charAt(close + 1) == ':')) {
                throw ApiError.badRequest("replica '" + replica + "': write [ipv6]:port").failure();
            }
            host = replica.substring(1, close);
            port = close == replica.length() - 1 ? null : replica.substring(close + 2);
        } else if (replica.indexOf(':') >= 0 && replica.indexOf(':') == replica.lastIndexOf(':')) {
            host = replica.substring(0, replica.indexOf(':'));
            port = replica.substring(replica.indexOf(':') + 1);
        }
        if (port != null && !port.matches("\\d{1,5}")) {
            throw ApiError.badRequest("replica '" + replica + "': the port must be a number").failure();
        }
        return "ALTER EXTERNAL KEYSPACE " + name(keyspace) + " DROP REPLICA HOST " + literal(host("replica", host))
                + (port == null ? "" : " PORT " + Integer.parseInt(port));
    }

    /** The external keyspace's name, or a 400 naming the field. */
    public static String name(String value) {
        return WorkflowStatements.name("name", value);
    }

    /**
     * {@code value} as a single-quoted string literal that the admin SQL's tokenizer (and MySQL's) reads back as
     * {@code value}: a backslash becomes {@code \\}, a quote {@code \'}, a line break {@code \n}. Everything else goes
     * in as it is, carriage returns and tabs too: that tokenizer reads {@code \r} and {@code \t} as plain r and t.
     */
    static String literal(String value) {
        if (value.indexOf('\0') >= 0) {
            // The tokenizer would keep it, but no MySQL client can send it in a statement; refuse rather than guess.
            throw ApiError.badRequest("a value contains a NUL character").failure();
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return out.append('\'').toString();
    }

    private static void clause(StringBuilder sql, ObjectNode object, String field, String keyword) {
        optionalText(object, field).ifPresent(value -> sql.append(' ').append(keyword).append(' ')
                .append(literal(value)));
    }

    private static String host(String field, String value) {
        if (value.length() > 253 || !HOST.matcher(value).matches()) {
            throw ApiError.badRequest(field + " '" + value + "' is not a host name or IP address").failure();
        }
        return value;
    }
}
