package io.switchyard.routing.plan;

import java.util.Objects;

/**
 * A statement or change the router will not carry out, with the MySQL error the client should get. The planner turns
 * it into {@link Plan.Refused}; {@link RoutingSnapshot#apply} and the {@link RoutingRules} constructor throw it to
 * their callers.
 */
public final class RoutingException extends RuntimeException {

    /** ER_UNKNOWN_ERROR, which Vitess also uses for routing errors. */
    public static final int UNKNOWN_ERROR = 1105;
    /** ER_NOT_SUPPORTED_YET: a query shape that cannot be run correctly across shards. */
    public static final int NOT_SUPPORTED = 1235;
    /** ER_PARSE_ERROR. */
    public static final int PARSE_ERROR = 1064;
    /** ER_NO_DB_ERROR: an unqualified table and no keyspace to resolve it in. */
    public static final int NO_DB = 1046;
    /** ER_BAD_DB_ERROR: a keyspace that does not exist. */
    public static final int BAD_DB = 1049;
    /** ER_WRONG_VALUE_COUNT_ON_ROW. */
    public static final int WRONG_VALUE_COUNT = 1136;

    private static final long serialVersionUID = 1L;

    private final int errorCode;
    private final String sqlState;

    public RoutingException(int errorCode, String sqlState, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.errorCode = errorCode;
        this.sqlState = Objects.requireNonNull(sqlState, "sqlState");
    }

    /** A query shape that cannot be answered correctly across shards: 1235 / 42000, message "unsupported: ...". */
    static RoutingException unsupported(String what) {
        return new RoutingException(NOT_SUPPORTED, "42000", "unsupported: " + what);
    }

    /** A routing problem the user fixes in the query or the vschema: 1105 / HY000. */
    static RoutingException routing(String message) {
        return new RoutingException(UNKNOWN_ERROR, "HY000", message);
    }

    static RoutingException syntax(String message) {
        return new RoutingException(PARSE_ERROR, "42000", message);
    }

    public int errorCode() {
        return errorCode;
    }

    public String sqlState() {
        return sqlState;
    }

    Plan.Refused toPlan() {
        return new Plan.Refused(errorCode, sqlState, getMessage());
    }
}
