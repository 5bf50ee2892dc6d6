package io.switchyard.proxy.server;

import io.switchyard.config.User;
import io.switchyard.proxy.backend.Backends;
import io.switchyard.proxy.backend.ClientOptions;
import io.switchyard.proxy.codec.ServerStatus;
import io.switchyard.proxy.session.SqlText;
import io.switchyard.proxy.session.Target;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.HashSet;
import java.util.Set;

/**
 * One client connection's state after authentication.
 *
 * <p><b>Threading:</b> every method runs on the client channel's event loop (Netty serializes a channel's handlers),
 * so nothing here is synchronized. Other threads only read {@link #executing()} (for KILL QUERY), which is volatile.
 *
 * <p><b>Backend connections are session-affine:</b> a session keeps the backend connection it got for a target
 * (keyspace, shard, tablet type) until it ends, resets or changes user. Transactions, temporary tables, locks,
 * user variables, {@code LAST_INSERT_ID()} and prepared statements therefore behave exactly as on a direct
 * connection. Session settings ({@code SET ...}) are recorded and replayed on each further backend the session
 * opens, so {@code commerce} and {@code commerce@replica} see the same {@code sql_mode} or {@code time_zone}.
 */
final class Session {
    private final long id;
    private final String clientHost;
    private User user;
    private ClientOptions options;
    private long clientCapabilities;
    private Optional<Target> target = Optional.empty();
    private int statusFlags = ServerStatus.SERVER_STATUS_AUTOCOMMIT;
    /** SET statements to replay, keyed by what they set, in first-seen order. */
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final Map<LeaseKey, Backends.Lease> leases = new LinkedHashMap<>();
    private final Map<Long, PreparedStatementRef> statements = new HashMap<>();
    private final Map<Long, RoutedStatement> routed = new HashMap<>();
    private long nextStatementId = 1;
    private long lastPrepared = -1;
    private volatile Backends.Lease executing;
    private long sequenceInsertId;
    /** A transaction the gateway opened across shards (BEGIN on a sharded keyspace), and the leases in it. */
    private boolean gatewayTransaction;
    private final java.util.LinkedHashSet<LeaseKey> joined = new java.util.LinkedHashSet<>();
    /**
     * What the open transaction (or the statement running outside one) has touched, for {@link QueryBuffer}: a
     * traffic hold lets a transaction that touched its tables before it began run to the end. Cleared when the
     * session is out of a transaction after a command.
     */
    private final Set<String> touchedTables = new HashSet<>();
    private final Set<String> touchedKeyspaces = new HashSet<>();

    Session(long id, String clientHost) {
        this.id = id;
        this.clientHost = clientHost;
    }

    void authenticated(User user, long clientCapabilities, ClientOptions options) {
        this.user = user;
        this.clientCapabilities = clientCapabilities;
        this.options = options;
    }

    long id() {
        return id;
    }

    String clientHost() {
        return clientHost;
    }

    User user() {
        return user;
    }

    ClientOptions options() {
        return options;
    }

    void options(ClientOptions options) {
        this.options = options;
    }

    long clientCapabilities() {
        return clientCapabilities;
    }

    void clientCapabilities(long capabilities) {
        this.clientCapabilities = capabilities;
    }

    Optional<Target> target() {
        return target;
    }

    void target(Target target) {
        this.target = Optional.of(target);
    }

    /** The server status the client last saw, kept from the backend's final packet of each response. */
    int statusFlags() {
        return statusFlags;
    }

    void statusFlags(int flags) {
        this.statusFlags = flags;
    }

    boolean inTransaction() {
        return (statusFlags & ServerStatus.SERVER_STATUS_IN_TRANS) != 0;
    }

    boolean gatewayTransaction() {
        return gatewayTransaction;
    }

    void beginGatewayTransaction() {
        gatewayTransaction = true;
        joined.clear();
        statusFlags |= ServerStatus.SERVER_STATUS_IN_TRANS;
    }

    /** Ends the gateway's transaction and returns the leases it touched, in the order they joined. */
    List<LeaseKey> endGatewayTransaction() {
        List<LeaseKey> members = new ArrayList<>(joined);
        gatewayTransaction = false;
        joined.clear();
        statusFlags &= ~ServerStatus.SERVER_STATUS_IN_TRANS;
        return members;
    }

    /** Records that {@code key} joined the gateway's transaction; false if it already had. */
    boolean join(LeaseKey key) {
        return joined.add(key);
    }

    void touch(Touches touches) {
        touchedTables.addAll(touches.tables());
        touchedKeyspaces.addAll(touches.keyspaces());
    }

    boolean touched(TrafficHold hold) {
        return (!touchedTables.isEmpty() || !touchedKeyspaces.isEmpty())
                && hold.matches(touchedTables, touchedKeyspaces);
    }

    /** The unit of work (transaction or autocommit statement) ended; true if it had touched anything. */
    boolean endWork() {
        if (touchedTables.isEmpty() && touchedKeyspaces.isEmpty()) {
            return false;
        }
        touchedTables.clear();
        touchedKeyspaces.clear();
        return true;
    }

    /** The first id of the session's last INSERT whose ids came from a sequence; 0 after any other INSERT. */
    long sequenceInsertId() {
        return sequenceInsertId;
    }

    void sequenceInsertId(long id) {
        this.sequenceInsertId = id;
    }

    Map<LeaseKey, Backends.Lease> leases() {
        return leases;
    }

    Backends.Lease executing() {
        return executing;
    }

    void executing(Backends.Lease lease) {
        this.executing = lease;
    }

    /** Remembers a successful SET for replay on backends this session opens later. */
    void recordSetting(String sql) {
        String body = SqlText.afterFirstKeyword(sql);
        String upper = body.toUpperCase(Locale.ROOT);
        if (upper.startsWith("TRANSACTION")) {
            return; // SET TRANSACTION applies to the next transaction only
        }
        settings.put(settingKey(upper), sql);
    }

    List<String> settings() {
        return new ArrayList<>(settings.values());
    }

    long prepare(LeaseKey lease, long backendId, Touches touches) {
        long clientId = nextStatementId++;
        statements.put(clientId, new PreparedStatementRef(clientId, lease, backendId, touches));
        lastPrepared = clientId;
        return clientId;
    }

    /**
     * The statement a client names. MariaDB clients pipeline COM_STMT_PREPARE and COM_STMT_EXECUTE and name the
     * statement just prepared with id 0xFFFFFFFF (MariaDB protocol), so that id means the last one prepared.
     */
    Optional<PreparedStatementRef> statement(long clientId) {
        return Optional.ofNullable(statements.get(clientId == LAST_PREPARED_ID ? lastPrepared : clientId));
    }

    static final long LAST_PREPARED_ID = 0xFFFFFFFFL;

    void closeStatement(long clientId) {
        statements.remove(clientId);
        routed.remove(clientId);
    }

    /** Marks a prepared statement as routed at each execute by its parameters. */
    void routed(long clientId, RoutedStatement statement) {
        routed.put(clientId, statement);
    }

    Optional<RoutedStatement> routed(long clientId) {
        return Optional.ofNullable(routed.get(clientId == LAST_PREPARED_ID ? lastPrepared : clientId));
    }

    /** COM_RESET_CONNECTION / COM_CHANGE_USER: forget settings, statements and transaction state. */
    void reset() {
        routed.clear();
        gatewayTransaction = false;
        joined.clear();
        settings.clear();
        statements.clear();
        statusFlags = ServerStatus.SERVER_STATUS_AUTOCOMMIT;
    }

    /**
     * What a SET statement sets, so that a later SET of the same thing replaces it: the assignment targets up to
     * the first '=' ({@code @@session.sql_mode}, {@code NAMES}, {@code CHARACTER SET}); a statement setting several
     * things is kept whole under its full text.
     */
    static String settingKey(String upperBody) {
        if (upperBody.startsWith("NAMES") || upperBody.startsWith("CHARACTER SET") || upperBody.startsWith("CHARSET")) {
            return "NAMES";
        }
        int eq = upperBody.indexOf('=');
        if (eq < 0 || upperBody.indexOf(',') >= 0) {
            return upperBody;
        }
        String name = upperBody.substring(0, eq).strip().replace("`", "");
        for (String prefix : List.of("SESSION ", "LOCAL ", "@@SESSION.", "@@LOCAL.", "@@")) {
            if (name.startsWith(prefix)) {
                name = name.substring(prefix.length()).strip();
            }
        }
        return name;
    }

}
