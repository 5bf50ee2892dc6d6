package io.switchyard.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns the YAML tree into records, reporting every problem with its key path. Each section is read field by field,
 * then checked with the record's own rules ({@code X.check}), and the record is built only when its whole subtree is
 * clean; a failed section yields {@code null} and its parent is not built either, but reading goes on so that one
 * pass finds all problems.
 */
final class ConfigBinder {

    private static final List<String> ROOT_KEYS = List.of("listeners", "users", "topology", "backend", "keyspaces");
    private static final List<String> LISTENER_KEYS =
            List.of("bind_address", "mysql_port", "http_port", "max_packet_size", "tls");
    private static final List<String> SERVER_TLS_KEYS = List.of("cert", "key");
    private static final List<String> USER_KEYS = List.of("name", "password", "role");
    private static final List<String> TOPOLOGY_KEYS = List.of("dsn", "credentials_key");
    private static final List<String> BACKEND_KEYS = List.of("pool_max_size", "pool_idle_timeout", "connect_timeout",
            "health_check_interval", "replica_fallback_to_primary");
    private static final List<String> KEYSPACE_KEYS =
            List.of("name", "sharded", "database", "credentials", "tls", "shards", "vschema");
    private static final List<String> CREDENTIALS_KEYS = List.of("user", "password");
    private static final List<String> BACKEND_TLS_KEYS = List.of("mode", "ca");
    private static final List<String> SHARD_KEYS = List.of("name", "primary", "replicas");

    private final Problems problems;

    private ConfigBinder(Problems problems) {
        this.problems = problems;
    }

    /** Returns the config, or {@code null} when problems were reported. */
    static SwitchyardConfig bind(YamlNode root, Problems problems) {
        return new ConfigBinder(problems).root(root);
    }

    private SwitchyardConfig root(YamlNode root) {
        if (root == null) {
            problems.add(YamlTree.ROOT, "the config is empty; it needs at least users, topology and keyspaces");
            return null;
        }
        if (!(root instanceof YamlNode.Mapping)) {
            problems.add(YamlTree.ROOT, "expected a mapping with keys " + String.join(", ", ROOT_KEYS) + ", found "
                    + root.describe());
            return null;
        }
        int before = problems.count();
        MappingReader r = MappingReader.of(root, problems, ROOT_KEYS);
        Listeners listeners = r.node("listeners") == null ? Listeners.defaults()
                : listeners(r.node("listeners"), problems.at("listeners"));
        List<User> users = list(r, "users", "at least one user, e.g. {name: root, password: \"\", role: admin}",
                this::user);
        Topology topology = r.node("topology") == null
                ? r.missing("topology",
                        "the topology store, e.g. {dsn: \"mysql://root:@127.0.0.1:3306/switchyard_topo\"}")
                : topology(r.node("topology"), problems.at("topology"));
        Backend backend = r.node("backend") == null ? Backend.defaults()
                : backend(r.node("backend"), problems.at("backend"));
        List<ConfigRules.Parts> parts = new ArrayList<>();
        List<Keyspace> keyspaces = list(r, "keyspaces", "at least one keyspace",
                (item, at) -> keyspace(item, at, parts));
        ConfigRules.check(problems, users, topology, keyspaces == null ? null : parts);
        return build(problems, before,
                () -> new SwitchyardConfig(listeners, users, topology, backend, keyspaces),
                listeners, users, topology, backend, keyspaces);
    }

    private Listeners listeners(YamlNode node, Problems at) {
        int before = problems.count();
        MappingReader r = MappingReader.of(node, at, LISTENER_KEYS);
        if (r == null) {
            return null;
        }
        String bindAddress = r.string("bind_address", Listeners.DEFAULT_BIND_ADDRESS);
        Integer mysqlPort = r.integer("mysql_port", Listeners.DEFAULT_MYSQL_PORT);
        Integer httpPort = r.integer("http_port", Listeners.DEFAULT_HTTP_PORT);
        Long maxPacketSize = r.longValue("max_packet_size", Listeners.DEFAULT_MAX_PACKET_SIZE);
        Optional<ServerTls> tls = r.node("tls") == null ? Optional.empty() : serverTls(r.node("tls"), at.at("tls"));
        Listeners.check(at, bindAddress, mysqlPort, httpPort, maxPacketSize);
        return build(at, before, () -> new Listeners(bindAddress, mysqlPort, httpPort, maxPacketSize, tls),
                bindAddress, mysqlPort, httpPort, maxPacketSize, tls);
    }

    private Optional<ServerTls> serverTls(YamlNode node, Problems at) {
        MappingReader r = MappingReader.of(node, at, SERVER_TLS_KEYS);
        if (r == null) {
            return null;
        }
        Path cert = path(r, "cert", r.requiredString("cert", "the server certificate chain, a PEM file"));
        Path key = path(r, "key", r.requiredString("key", "the server private key, a PEM file"));
        return cert == null || key == null ? null : Optional.of(new ServerTls(cert, key));
    }

    private User user(YamlNode node, Problems at) {
        int before = problems.count();
        MappingReader r = MappingReader.of(node, at, USER_KEYS);
        if (r == null) {
            return null;
        }
        String name = r.requiredString("name", "the user name clients log in with");
        // The key is required so that "no password" is a decision; an empty value (password: or "") means none.
        String password = r.has("password") ? r.string("password", "")
                : r.missing("password", "write password: \"\" for a user without a password");
        User.Role role = r.enumValue("role", User.Role.class, "role", null);
        User.check(at, name);
        return build(at, before, () -> new User(name, password, role), name, password, role);
    }

    private Topology topology(YamlNode node, Problems at) {
        MappingReader r = MappingReader.of(node, at, TOPOLOGY_KEYS);
        if (r == null) {
            return null;
        }
        String dsn = r.requiredString("dsn", "a mysql://user[:password]@host:port/database URL");
        String key = r.string("credentials_key", null);
        String keyProblem = Topology.checkCredentialsKey(key);
        if (keyProblem != null) {
            at.add("credentials_key", keyProblem);
            return null;
        }
        if (dsn == null) {
            return null;
        }
        try {
            return Topology.parse(dsn).withCredentialsKey(Optional.ofNullable(key));
        } catch (ConfigException e) {
            at.addAll(e);
            return null;
        }
    }

    private Backend backend(YamlNode node, Problems at) {
        int before = problems.count();
        MappingReader r = MappingReader.of(node, at, BACKEND_KEYS);
        if (r == null) {
            return null;
        }
        Integer poolMaxSize = r.integer("pool_max_size", Backend.DEFAULT_POOL_MAX_SIZE);
        Duration idle = r.duration("pool_idle_timeout", Backend.DEFAULT_POOL_IDLE_TIMEOUT);
        Duration connect = r.duration("connect_timeout", Backend.DEFAULT_CONNECT_TIMEOUT);
        Duration health = r.duration("health_check_interval", Backend.DEFAULT_HEALTH_CHECK_INTERVAL);
        Boolean fallback = r.bool("replica_fallback_to_primary", false);
        Backend.check(at, poolMaxSize, idle, connect, health);
        return build(at, before, () -> new Backend(poolMaxSize, idle, connect, health, fallback),
                poolMaxSize, idle, connect, health, fallback);
    }

    /** Reads a keyspace, adding what could be read of it to {@code parts} for the cross-keyspace rules. */
    private Keyspace keyspace(YamlNode node, Problems at, List<ConfigRules.Parts> parts) {
        int before = problems.count();
        MappingReader r = MappingReader.of(node, at, KEYSPACE_KEYS);
        if (r == null) {
            parts.add(null);
            return null;
        }
        String name = r.requiredString("name", "the keyspace name clients use as their database");
        Boolean sharded = r.bool("sharded", false);
        String database = r.string("database", name);
        Credentials credentials = r.node("credentials") == null ? Credentials.DEFAULT
                : credentials(r.node("credentials"), at.at("credentials"));
        BackendTls tls = r.node("tls") == null ? BackendTls.DISABLED : backendTls(r.node("tls"), at.at("tls"));
        List<String> shardNames = new ArrayList<>();
        List<Shard> shards = list(r, "shards", "every keyspace needs its shards, e.g. [{name: \"0\", primary: "
                + "127.0.0.1:3306}]", (item, itemAt) -> shard(item, itemAt, shardNames));
        VSchema vschema = r.node("vschema") == null ? VSchema.EMPTY
                : VSchemaBinder.bind(r.node("vschema"), at.at("vschema"));
        Keyspace.check(at, name, sharded, database, shards == null ? null : shardNames, vschema);
        parts.add(new ConfigRules.Parts(name, sharded, database, shards, vschema));
        return build(at, before, () -> new Keyspace(name, sharded, database, credentials, tls, shards, vschema),
                name, sharded, database, credentials, tls, shards, vschema);
    }

    private Credentials credentials(YamlNode node, Problems at) {
        int before = problems.count();
        MappingReader r = MappingReader.of(node, at, CREDENTIALS_KEYS);
        if (r == null) {
            return null;
        }
        String user = r.string("user", Credentials.DEFAULT.user());
        String password = r.string("password", Credentials.DEFAULT.password());
        Credentials.check(at, user);
        return build(at, before, () -> new Credentials(user, password), user, password);
    }

    private BackendTls backendTls(YamlNode node, Problems at) {
        int before = problems.count();
        MappingReader r = MappingReader.of(node, at, BACKEND_TLS_KEYS);
        if (r == null) {
            return null;
        }
        BackendTls.Mode mode = r.enumValue("mode", BackendTls.Mode.class, "TLS mode", BackendTls.Mode.DISABLED);
        String caText = r.string("ca", null);
        Optional<Path> ca = caText == null ? Optional.empty() : Optional.ofNullable(path(r, "ca", caText));
        BackendTls.check(at, mode, ca.isPresent());
        return build(at, before, () -> new BackendTls(mode, ca), mode);
    }

    private Shard shard(YamlNode node, Problems at, List<String> names) {
        int before = problems.count();
        MappingReader r = MappingReader.of(node, at, SHARD_KEYS);
        if (r == null) {
            names.add(null);
            return null;
        }
        String name = r.requiredString("name", "\"0\" for an unsharded keyspace, a keyrange such as \"-80\" otherwise");
        names.add(name);
        Endpoint primary = r.endpoint("primary", "every shard needs a primary (host:port)");
        List<Endpoint> replicas = new ArrayList<>();
        List<YamlNode> items = r.list("replicas");
        if (items != null) {
            for (YamlNode item : items) {
                replicas.add(MappingReader.endpoint(item, at.at("replicas[" + replicas.size() + "]")));
            }
        }
        Shard.check(at, name, primary, replicas);
        return build(at, before, () -> Shard.of(name, primary, replicas), name, primary,
                replicas.contains(null) ? null : replicas);
    }

    /** Interprets a path string; an error here is rare (a NUL byte) but must still name the key. */
    private static Path path(MappingReader r, String key, String text) {
        if (text == null) {
            return null;
        }
        if (text.isBlank()) {
            r.at().add(key, "must not be empty");
            return null;
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            r.at().add(key, Problems.quote(text) + " is not a file path: " + e.getReason());
            return null;
        }
    }

    /** Reads a section that is a list, one element at {@code key[i]}; failed elements stay as {@code null}. */
    private <T> List<T> list(MappingReader r, String key, String missingHint, Element<T> element) {
        if (r.node(key) == null) {
            return r.missing(key, missingHint);
        }
        List<YamlNode> items = r.list(key);
        if (items == null) {
            return null;
        }
        List<T> result = new ArrayList<>();
        for (YamlNode item : items) {
            result.add(element.read(item, r.at().at(key + "[" + result.size() + "]")));
        }
        return result;
    }

    @FunctionalInterface
    interface Element<T> {
        T read(YamlNode node, Problems at);
    }

    /**
     * Builds a record if nothing was reported since {@code before} and every part was read. Constructor problems can
     * only show up here if a check was missed in the binder; they are still reported with their path rather than
     * thrown.
     */
    static <T> T build(Problems at, int before, Supplier<T> constructor, Object... parts) {
        if (at.count() != before || Arrays.stream(parts).anyMatch(Objects::isNull)) {
            return null;
        }
        if (Arrays.stream(parts).anyMatch(p -> p instanceof List<?> list && list.stream().anyMatch(Objects::isNull))) {
            return null;
        }
        try {
            return constructor.get();
        } catch (ConfigException e) {
            at.addAll(e);
            return null;
        }
    }
}
