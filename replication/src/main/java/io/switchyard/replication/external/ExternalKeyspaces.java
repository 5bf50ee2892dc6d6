package io.switchyard.replication.external;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchyard.config.BackendTls;
import io.switchyard.config.Endpoint;
import io.switchyard.replication.copy.SqlConnector;

import io.switchyard.routing.topo.TopologyStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The registry of external keyspaces in the topology store: {@code external_keyspaces(name, settings_json,
 * password_enc, client_key_enc, ...)}. Settings without secrets go into {@code settings_json} as plain JSON (an
 * operator may read them); the password and the client key go into their own columns, sealed by {@link SecretBox}.
 * Deleting a keyspace deletes its row, and with it the only copy of its credentials Switchyard had.
 *
 * <p>Each method uses its own autocommit connection; alterations read, change and write back inside one
 * transaction with the row locked, so two gateways adding replicas at once do not lose one.
 */
public final class ExternalKeyspaces {
    static final String TABLE = "external_keyspaces";
    private static final String SCHEMA = "CREATE TABLE IF NOT EXISTS " + TABLE + " (name VARBINARY(64) NOT NULL"
            + " PRIMARY KEY, settings_json TEXT NOT NULL, password_enc TEXT NULL, client_key_enc TEXT NULL,"
            + " created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),"
            + " updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)) ENGINE=InnoDB";
    private static final String PASSWORD = "password";
    private static final String CLIENT_KEY = "client_key";

    private final SqlConnector topology;
    private final Optional<SecretBox> box;
    private final ObjectMapper json = new ObjectMapper();

    private ExternalKeyspaces(SqlConnector topology, Optional<SecretBox> box) {
        this.topology = topology;
        this.box = box;
    }

    /**
     * The registry on {@code topology}, creating its table if needed.
     *
     * @param box empty when no credentials key is configured: listing and deleting still work, creating and reading
     *     credentials fail with {@code NO_CREDENTIALS_KEY}
     */
    public static ExternalKeyspaces open(SqlConnector topology, Optional<SecretBox> box) throws SQLException {
        Objects.requireNonNull(box, "box");
        try (Connection connection = topology.open(); Statement statement = connection.createStatement()) {
            statement.execute(SCHEMA);
        }
        return new ExternalKeyspaces(topology, box);
    }

    /**
     * The registry in the topology store the config names ({@code topology.dsn}), with a connection per call. The
     * credentials key comes from {@code topology.credentials_key}, else {@code environment}'s
     * {@value SecretBox#ENV}.
     */
    public static ExternalKeyspaces open(io.switchyard.config.Topology store, Map<String, String> environment,
                                         java.security.SecureRandom random) throws SQLException {
        java.util.Properties login = new java.util.Properties();
        login.setProperty("user", store.user());
        login.setProperty("password", store.password());
        login.setProperty("connectTimeout", "2000");
        String url = "jdbc:mariadb://" + store.endpoint() + "/" + store.database();
        return open(() -> java.sql.DriverManager.getConnection(url, login),
                SecretBox.resolve(store.credentialsKey(), environment, random));
    }

    /**
     * Stores a new external keyspace.
     *
     * @throws ExternalKeyspaceException {@code NO_CREDENTIALS_KEY} without a key, {@code EXISTS} for a duplicate
     */
    public void create(ExternalKeyspace keyspace) throws SQLException {
        SecretBox sealer = requireBox("create external keyspace " + keyspace.name());
        String password = keyspace.auth() instanceof ExternalAuth.Password p
                ? sealer.seal(keyspace.name(), PASSWORD, p.password()) : null;
        String clientKey = keyspace.auth() instanceof ExternalAuth.ClientCertificate c
                ? sealer.seal(keyspace.name(), CLIENT_KEY, c.keyPem()) : null;
        try {
            inTransaction(connection -> {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + TABLE
                        + " (name, settings_json, password_enc, client_key_enc) VALUES (?, ?, ?, ?)")) {
                    insert.setString(1, keyspace.name());
                    insert.setString(2, settings(keyspace));
                    insert.setString(3, password);
                    insert.setString(4, clientKey);
                    insert.executeUpdate();
                }
                return null;
            });
        } catch (SQLIntegrityConstraintViolationException e) {
            throw new ExternalKeyspaceException(ExternalKeyspaceException.Reason.EXISTS, "external keyspace "
                    + keyspace.name() + " already exists; DROP EXTERNAL KEYSPACE " + keyspace.name() + " first, or"
                    + " choose another name");
        }
    }

    /** Whether an external keyspace of that name exists; reads no secrets. */
    public boolean exists(String name) throws SQLException {
        try (Connection connection = topology.open(); PreparedStatement select = connection.prepareStatement(
                "SELECT 1 FROM " + TABLE + " WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Fails unless a credentials key is configured, so that a create can be refused before it connects anywhere.
     *
     * @throws ExternalKeyspaceException {@code NO_CREDENTIALS_KEY}, saying how to configure one
     */
    public void requireCredentialsKey(String action) {
        requireBox(action);
    }

    /** The keyspace with its credentials decrypted; empty if there is none of that name. */
    public Optional<ExternalKeyspace> read(String name) throws SQLException {
        try (Connection connection = topology.open(); PreparedStatement select = connection.prepareStatement(
                "SELECT name, settings_json, password_enc, client_key_enc FROM " + TABLE + " WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(fromRow(rs)) : Optional.empty();
            }
        }
    }

    /** Like {@link #read}, but a missing keyspace is an {@code NOT_FOUND} error that says what exists. */
    public ExternalKeyspace get(String name) throws SQLException {
        return read(name).orElseThrow(() -> notFound(name));
    }

    /** Every external keyspace, by name, credentials decrypted. */
    public List<ExternalKeyspace> list() throws SQLException {
        List<ExternalKeyspace> all = new ArrayList<>();
        try (Connection connection = topology.open(); Statement select = connection.createStatement();
             ResultSet rs = select.executeQuery("SELECT name, settings_json, password_enc, client_key_enc FROM "
                     + TABLE + " ORDER BY name")) {
            while (rs.next()) {
                all.add(fromRow(rs));
            }
        }
        return all;
    }

    /** Adds a read replica (seed 003, "Adding a replica host name"); returns the keyspace as stored now. */
    public ExternalKeyspace addReplica(String name, Endpoint replica) throws SQLException {
        return alter(name, keyspace -> keyspace.withReplica(replica));
    }

    /** Removes a read replica; returns the keyspace as stored now. */
    public ExternalKeyspace removeReplica(String name, Endpoint replica) throws SQLException {
        return alter(name, keyspace -> keyspace.withoutReplica(replica));
    }

    /**
     * Deletes the keyspace and its stored credentials.
     *
     * @return false if there was none of that name
     */
    public boolean delete(String name) throws SQLException {
        return inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + TABLE + " WHERE name = ?")) {
                delete.setString(1, name);
                return delete.executeUpdate() > 0;
            }
        });
    }

    @FunctionalInterface
    private interface Change<T> {
        T apply(Connection connection) throws SQLException;
    }

    /**
     * Runs one change in a transaction that also raises the topology store's routing version, so that every gateway
     * re-reads the external keyspaces with its next snapshot: pools follow an added or dropped replica, and a
     * deleted keyspace stops being served, within one routing poll.
     */
    private <T> T inTransaction(Change<T> change) throws SQLException {
        try (Connection connection = topology.open()) {
            connection.setAutoCommit(false);
            try {
                T result = change.apply(connection);
                TopologyStore.bumpVersion(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private ExternalKeyspace alter(String name, java.util.function.UnaryOperator<ExternalKeyspace> change)
            throws SQLException {
        return inTransaction(connection -> {
            ExternalKeyspace before;
            try (PreparedStatement select = connection.prepareStatement("SELECT name, settings_json,"
                    + " password_enc, client_key_enc FROM " + TABLE + " WHERE name = ? FOR UPDATE")) {
                select.setString(1, name);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        throw notFound(name);
                    }
                    before = fromRow(rs);
                }
            }
            ExternalKeyspace after = change.apply(before);
            // Only the settings change: the sealed secrets stay as they are, byte for byte.
            try (PreparedStatement update = connection.prepareStatement("UPDATE " + TABLE + " SET settings_json"
                    + " = ?, updated_at = CURRENT_TIMESTAMP(6) WHERE name = ?")) {
                update.setString(1, settings(after));
                update.setString(2, name);
                update.executeUpdate();
            }
            return after;
        });
    }

    private ExternalKeyspace fromRow(ResultSet rs) throws SQLException {
        String name = rs.getString(1);
        Map<?, ?> f;
        try {
            f = json.readValue(rs.getString(2), Map.class);
        } catch (JsonProcessingException e) {
            throw new SQLException("external keyspace " + name + " has unreadable settings_json: "
                    + e.getOriginalMessage(), e);
        }
        String passwordSealed = rs.getString(3);
        String keySealed = rs.getString(4);
        SecretBox opener = requireBox("read the credentials of external keyspace " + name);
        ExternalAuth auth = keySealed != null
                ? new ExternalAuth.ClientCertificate((String) f.get("client_certificate"),
                        opener.open(name, CLIENT_KEY, keySealed))
                : new ExternalAuth.Password(passwordSealed == null ? "" : opener.open(name, PASSWORD, passwordSealed));
        List<Endpoint> replicas = ((List<?>) f.get("replicas")).stream().map(r -> Endpoint.parse((String) r)).toList();
        return new ExternalKeyspace(name, (String) f.get("host"), ((Number) f.get("port")).intValue(),
                (String) f.get("database"), (String) f.get("user"), auth,
                BackendTls.Mode.valueOf((String) f.get("ssl_mode")), optional(f, "ca"), optional(f, "tls_min_version"),
                optional(f, "ssl_server_name"), ((Number) f.get("import_connections")).intValue(), replicas);
    }

    /** The JSON of everything but the secrets; the client certificate is public, its key is not. */
    private String settings(ExternalKeyspace keyspace) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("host", keyspace.host());
        f.put("port", keyspace.port());
        f.put("database", keyspace.database());
        f.put("user", keyspace.user());
        f.put("ssl_mode", keyspace.sslMode().name());
        f.put("ca", keyspace.ca().orElse(null));
        f.put("tls_min_version", keyspace.tlsMinVersion().orElse(null));
        f.put("ssl_server_name", keyspace.sslServerName().orElse(null));
        f.put("import_connections", keyspace.importConnections());
        f.put("replicas", keyspace.replicas().stream().map(Endpoint::toString).toList());
        if (keyspace.auth() instanceof ExternalAuth.ClientCertificate c) {
            f.put("client_certificate", c.certificatePem());
        }
        try {
            return json.writeValueAsString(f);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the settings of " + keyspace.name(), e);
        }
    }

    private static Optional<String> optional(Map<?, ?> f, String key) {
        return Optional.ofNullable((String) f.get(key));
    }

    private SecretBox requireBox(String action) {
        return box.orElseThrow(() -> new ExternalKeyspaceException(
                ExternalKeyspaceException.Reason.NO_CREDENTIALS_KEY, "cannot " + action + ": no credentials key is"
                + " configured. Set topology.credentials_key in the config (e.g. \"${env:SWITCHYARD_CREDENTIALS_KEY}\")"
                + " or the environment variable " + SecretBox.ENV + " to a random secret of at least 16 characters,"
                + " the same on every gateway, and restart"));
    }

    private static ExternalKeyspaceException notFound(String name) {
        return new ExternalKeyspaceException(ExternalKeyspaceException.Reason.NOT_FOUND, "external keyspace " + name
                + " does not exist; SHOW EXTERNAL KEYSPACES lists them");
    }
}
