package io.switchyard.proxy.codec;

import java.util.Locale;

/**
 * The MySQL server errors the gateway produces itself, with the code, SQLSTATE and message format of the MySQL
 * server (see https://dev.mysql.com/doc/mysql-errors/8.0/en/server-error-reference.html), so that drivers classify
 * them exactly as they would a real server's. {@code ErrPacket.of(MySqlError, Object...)} turns one into a packet.
 */
public enum MySqlError {
    ER_CON_COUNT_ERROR(1040, "08004", "Too many connections"),
    ER_HANDSHAKE_ERROR(1043, "08S01", "Bad handshake"),
    ER_DBACCESS_DENIED_ERROR(1044, "42000", "Access denied for user '%s'@'%s' to database '%s'"),
    ER_ACCESS_DENIED_ERROR(1045, "28000", "Access denied for user '%s'@'%s' (using password: %s)"),
    ER_NO_DB_ERROR(1046, "3D000", "No database selected"),
    ER_UNKNOWN_COM_ERROR(1047, "08S01", "Unknown command"),
    ER_BAD_DB_ERROR(1049, "42000", "Unknown database '%s'"),
    ER_NO_SUCH_THREAD(1094, "HY000", "Unknown thread id: %s"),
    ER_KILL_DENIED_ERROR(1095, "HY000", "You are not owner of thread %s"),
    ER_PARSE_ERROR(1064, "42000", "You have an error in your SQL syntax; %s"),
    ER_UNKNOWN_ERROR(1105, "HY000", "%s"),
    ER_NO_SUCH_TABLE(1146, "42S02", "Table '%s.%s' doesn't exist"),
    ER_NOT_ALLOWED_COMMAND(1148, "42000", "The used command is not allowed with this MySQL version"),
    ER_NET_PACKET_TOO_LARGE(1153, "08S01", "Got a packet bigger than 'max_allowed_packet' bytes"),
    ER_NET_PACKETS_OUT_OF_ORDER(1156, "08S01", "Got packets out of order"),
    ER_WRONG_ARGUMENTS(1210, "HY000", "Incorrect arguments to %s"),
    ER_SPECIFIC_ACCESS_DENIED_ERROR(1227, "42000",
            "Access denied; you need (at least one of) the %s privilege(s) for this operation"),
    ER_NOT_SUPPORTED_YET(1235, "42000", "This version of MySQL doesn't yet support '%s'"),
    ER_UNKNOWN_STMT_HANDLER(1243, "HY000", "Unknown prepared statement handler (%s) given to %s"),
    ER_NOT_SUPPORTED_AUTH_MODE(1251, "08004",
            "Client does not support authentication protocol requested by server; consider upgrading MySQL client"),
    ER_QUERY_INTERRUPTED(1317, "70100", "Query execution was interrupted"),
    ER_MALFORMED_PACKET(1835, "HY000", "Malformed communication packet: %s");

    private final int code;
    private final String sqlState;
    private final String messageFormat;

    MySqlError(int code, String sqlState, String messageFormat) {
        this.code = code;
        this.sqlState = sqlState;
        this.messageFormat = messageFormat;
    }

    public int code() {
        return code;
    }

    public String sqlState() {
        return sqlState;
    }

    /** The {@link String#format} pattern of the message; its {@code %s} arguments are listed in the constant. */
    public String messageFormat() {
        return messageFormat;
    }

    /** The message with the arguments filled in, in the order the MySQL server uses. */
    public String message(Object... args) {
        return args.length == 0 ? messageFormat : String.format(Locale.ROOT, messageFormat, args);
    }

    /** A {@link ProtocolException} with this error's code, SQLSTATE and {@link #message(Object...) message}. */
    public ProtocolException exception(Object... args) {
        return new ProtocolException(code, sqlState, message(args));
    }
}
