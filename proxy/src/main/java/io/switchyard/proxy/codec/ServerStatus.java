package io.switchyard.proxy.codec;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Server status flags of OK and EOF packets
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/mysql__com_8h.html, {@code enum SERVER_STATUS_flags_enum}).
 * Drivers rely on IN_TRANS, AUTOCOMMIT and MORE_RESULTS_EXISTS being accurate.
 */
public final class ServerStatus {
    public static final int SERVER_STATUS_IN_TRANS = 1;
    public static final int SERVER_STATUS_AUTOCOMMIT = 1 << 1;
    public static final int SERVER_MORE_RESULTS_EXISTS = 1 << 3;
    public static final int SERVER_QUERY_NO_GOOD_INDEX_USED = 1 << 4;
    public static final int SERVER_QUERY_NO_INDEX_USED = 1 << 5;
    /** Set in the EOF/OK after the columns of COM_STMT_EXECUTE when a read-only cursor was opened. */
    public static final int SERVER_STATUS_CURSOR_EXISTS = 1 << 6;
    /** Set in the EOF/OK closing a COM_STMT_FETCH when the cursor is exhausted. */
    public static final int SERVER_STATUS_LAST_ROW_SENT = 1 << 7;
    public static final int SERVER_STATUS_DB_DROPPED = 1 << 8;
    public static final int SERVER_STATUS_NO_BACKSLASH_ESCAPES = 1 << 9;
    public static final int SERVER_STATUS_METADATA_CHANGED = 1 << 10;
    public static final int SERVER_QUERY_WAS_SLOW = 1 << 11;
    public static final int SERVER_PS_OUT_PARAMS = 1 << 12;
    public static final int SERVER_STATUS_IN_TRANS_READONLY = 1 << 13;
    public static final int SERVER_SESSION_STATE_CHANGED = 1 << 14;

    private static final List<String> NAMES = Collections.unmodifiableList(Arrays.asList(
            "SERVER_STATUS_IN_TRANS", "SERVER_STATUS_AUTOCOMMIT", null, "SERVER_MORE_RESULTS_EXISTS",
            "SERVER_QUERY_NO_GOOD_INDEX_USED", "SERVER_QUERY_NO_INDEX_USED", "SERVER_STATUS_CURSOR_EXISTS",
            "SERVER_STATUS_LAST_ROW_SENT", "SERVER_STATUS_DB_DROPPED", "SERVER_STATUS_NO_BACKSLASH_ESCAPES",
            "SERVER_STATUS_METADATA_CHANGED", "SERVER_QUERY_WAS_SLOW", "SERVER_PS_OUT_PARAMS",
            "SERVER_STATUS_IN_TRANS_READONLY", "SERVER_SESSION_STATE_CHANGED"));

    private ServerStatus() {
    }

    public static boolean has(int status, int flag) {
        return (status & flag) == flag;
    }

    /** The names of the set flags joined with {@code |}, for logs. */
    public static String names(int status) {
        return Flags.render(status & 0xFFFFL, NAMES);
    }
}
