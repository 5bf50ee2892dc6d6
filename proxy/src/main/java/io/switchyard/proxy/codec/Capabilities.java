package io.switchyard.proxy.codec;

import java.util.List;

/**
 * Capability flags exchanged in the handshake
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/group__group__cs__capabilities__flags.html). The effective set
 * of a connection is the intersection of what the server advertised and what the client asked for.
 *
 * <p>Capabilities are handled as a {@code long}: bits 0..31 are MySQL's, bits 32..63 are MariaDB's extended
 * capabilities, which travel in otherwise reserved handshake bytes when the peer does not set
 * {@link #CLIENT_MYSQL} (https://mariadb.com/kb/en/connection/#capabilities).
 */
public final class Capabilities {
    public static final long CLIENT_LONG_PASSWORD = 1L;
    /** MariaDB's name for bit 0: set by MySQL servers and clients, cleared by MariaDB servers. */
    public static final long CLIENT_MYSQL = CLIENT_LONG_PASSWORD;
    public static final long CLIENT_FOUND_ROWS = 1L << 1;
    public static final long CLIENT_LONG_FLAG = 1L << 2;
    public static final long CLIENT_CONNECT_WITH_DB = 1L << 3;
    public static final long CLIENT_NO_SCHEMA = 1L << 4;
    public static final long CLIENT_COMPRESS = 1L << 5;
    public static final long CLIENT_ODBC = 1L << 6;
    public static final long CLIENT_LOCAL_FILES = 1L << 7;
    public static final long CLIENT_IGNORE_SPACE = 1L << 8;
    public static final long CLIENT_PROTOCOL_41 = 1L << 9;
    public static final long CLIENT_INTERACTIVE = 1L << 10;
    public static final long CLIENT_SSL = 1L << 11;
    public static final long CLIENT_IGNORE_SIGPIPE = 1L << 12;
    public static final long CLIENT_TRANSACTIONS = 1L << 13;
    public static final long CLIENT_RESERVED = 1L << 14;
    /** Formerly CLIENT_RESERVED2: 4.1 authentication, a length-prefixed auth response. */
    public static final long CLIENT_SECURE_CONNECTION = 1L << 15;
    public static final long CLIENT_MULTI_STATEMENTS = 1L << 16;
    public static final long CLIENT_MULTI_RESULTS = 1L << 17;
    public static final long CLIENT_PS_MULTI_RESULTS = 1L << 18;
    public static final long CLIENT_PLUGIN_AUTH = 1L << 19;
    public static final long CLIENT_CONNECT_ATTRS = 1L << 20;
    public static final long CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA = 1L << 21;
    public static final long CLIENT_CAN_HANDLE_EXPIRED_PASSWORDS = 1L << 22;
    public static final long CLIENT_SESSION_TRACK = 1L << 23;
    public static final long CLIENT_DEPRECATE_EOF = 1L << 24;
    public static final long CLIENT_OPTIONAL_RESULTSET_METADATA = 1L << 25;
    public static final long CLIENT_ZSTD_COMPRESSION_ALGORITHM = 1L << 26;
    public static final long CLIENT_QUERY_ATTRIBUTES = 1L << 27;
    public static final long MULTI_FACTOR_AUTHENTICATION = 1L << 28;
    public static final long CLIENT_CAPABILITY_EXTENSION = 1L << 29;
    public static final long CLIENT_SSL_VERIFY_SERVER_CERT = 1L << 30;
    public static final long CLIENT_REMEMBER_OPTIONS = 1L << 31;

    public static final long MARIADB_CLIENT_PROGRESS = 1L << 32;
    public static final long MARIADB_CLIENT_COM_MULTI = 1L << 33;
    public static final long MARIADB_CLIENT_STMT_BULK_OPERATIONS = 1L << 34;
    public static final long MARIADB_CLIENT_EXTENDED_METADATA = 1L << 35;
    public static final long MARIADB_CLIENT_CACHE_METADATA = 1L << 36;

    /**
     * What the gateway can offer applications today (proxy-peers.md §4 P0.1): 4.1 protocol and authentication with
     * plugins, CONNECT_WITH_DB, CONNECT_ATTRS, transactions, multi-statements and multi-results, FOUND_ROWS and
     * DEPRECATE_EOF. Add {@link #CLIENT_SSL} when TLS is configured. Deliberately absent until implemented:
     * COMPRESS, LOCAL_FILES, SESSION_TRACK, QUERY_ATTRIBUTES, OPTIONAL_RESULTSET_METADATA and all MariaDB bits;
     * CLIENT_MYSQL is set so that MariaDB drivers do not look for extended capabilities.
     */
    public static final long GATEWAY_SERVER_DEFAULT = CLIENT_LONG_PASSWORD | CLIENT_FOUND_ROWS | CLIENT_LONG_FLAG
            | CLIENT_CONNECT_WITH_DB | CLIENT_IGNORE_SPACE | CLIENT_PROTOCOL_41 | CLIENT_INTERACTIVE
            | CLIENT_TRANSACTIONS | CLIENT_SECURE_CONNECTION | CLIENT_MULTI_STATEMENTS | CLIENT_MULTI_RESULTS
            | CLIENT_PS_MULTI_RESULTS | CLIENT_PLUGIN_AUTH | CLIENT_CONNECT_ATTRS
            | CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA | CLIENT_DEPRECATE_EOF;

    private static final List<String> NAMES = List.of(
            "CLIENT_LONG_PASSWORD", "CLIENT_FOUND_ROWS", "CLIENT_LONG_FLAG", "CLIENT_CONNECT_WITH_DB",
            "CLIENT_NO_SCHEMA", "CLIENT_COMPRESS", "CLIENT_ODBC", "CLIENT_LOCAL_FILES",
            "CLIENT_IGNORE_SPACE", "CLIENT_PROTOCOL_41", "CLIENT_INTERACTIVE", "CLIENT_SSL",
            "CLIENT_IGNORE_SIGPIPE", "CLIENT_TRANSACTIONS", "CLIENT_RESERVED", "CLIENT_SECURE_CONNECTION",
            "CLIENT_MULTI_STATEMENTS", "CLIENT_MULTI_RESULTS", "CLIENT_PS_MULTI_RESULTS", "CLIENT_PLUGIN_AUTH",
            "CLIENT_CONNECT_ATTRS", "CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA", "CLIENT_CAN_HANDLE_EXPIRED_PASSWORDS",
            "CLIENT_SESSION_TRACK", "CLIENT_DEPRECATE_EOF", "CLIENT_OPTIONAL_RESULTSET_METADATA",
            "CLIENT_ZSTD_COMPRESSION_ALGORITHM", "CLIENT_QUERY_ATTRIBUTES", "MULTI_FACTOR_AUTHENTICATION",
            "CLIENT_CAPABILITY_EXTENSION", "CLIENT_SSL_VERIFY_SERVER_CERT", "CLIENT_REMEMBER_OPTIONS",
            "MARIADB_CLIENT_PROGRESS", "MARIADB_CLIENT_COM_MULTI", "MARIADB_CLIENT_STMT_BULK_OPERATIONS",
            "MARIADB_CLIENT_EXTENDED_METADATA", "MARIADB_CLIENT_CACHE_METADATA");

    private Capabilities() {
    }

    /** True if every bit of {@code flag} is set in {@code capabilities}. */
    public static boolean has(long capabilities, long flag) {
        return (capabilities & flag) == flag;
    }

    /** The set flags' names joined with {@code |}, unknown bits in hex, for logs: {@code CLIENT_SSL|0x4000000000}. */
    public static String names(long capabilities) {
        return Flags.render(capabilities, NAMES);
    }
}
