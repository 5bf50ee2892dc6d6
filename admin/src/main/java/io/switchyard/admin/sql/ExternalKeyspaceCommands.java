package io.switchyard.admin.sql;

import io.switchyard.config.User;
import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.packet.resultset.ColumnDefinition41;
import io.switchyard.proxy.packet.resultset.ResultRow;
import io.switchyard.proxy.packet.resultset.TextResultSet;
import io.switchyard.proxy.server.LocalCommands;
import io.switchyard.replication.external.ExternalAuth;
import io.switchyard.replication.external.ExternalKeyspace;
import io.switchyard.replication.external.ExternalKeyspaceException;
import io.switchyard.replication.external.ExternalKeyspaces;
import io.switchyard.replication.external.ExternalValidator;
import io.switchyard.replication.external.ValidationReport;
import io.switchyard.replication.external.ValidationResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;

/**
 * The external-keyspace commands of the admin SQL (seed 003, "Connect to your external database" and "Validate
 * connection and schema"). Admins only (1227). Every command talks to the topology store or the external database,
 * so it runs on the injected executor and the session waits for the answer.
 * <pre>
 * CREATE EXTERNAL KEYSPACE ks HOST 'h' [PORT n] [DATABASE 'db'] USER 'u' (PASSWORD 'p' | SSL CERT '..' SSL KEY '..')
 *     [SSL MODE m] [SSL CA '..'] [TLS MIN VERSION 'TLSv1.2'] [SSL SERVER NAME 'n'] [IMPORT CONNECTIONS n]
 *     [SKIP VALIDATION]
 * VALIDATE EXTERNAL KEYSPACE ks
 * SHOW EXTERNAL KEYSPACES
 * ALTER EXTERNAL KEYSPACE ks ADD | DROP REPLICA HOST 'h' [PORT n]   -- ADD connects to the replica first
 * DROP EXTERNAL KEYSPACE ks
 * </pre>
 * CREATE validates first and answers with the validation rows. It stores the keyspace unless a hard check fails
 * (connectivity, server configuration, grants): then it stores nothing and answers with an error listing the
 * failures, because an import of it could not work. {@code SKIP VALIDATION} stores it anyway (the server is being
 * fixed, or is unreachable from here for now) and still shows the rows. Skippable failures (schema) never block the
 * create: the decision to skip them is the import's, which then takes all tables.
 *
 * <p>No answer, error or log line contains a password or a private key.
 */
public final class ExternalKeyspaceCommands implements LocalCommands {
    private static final Logger log = LoggerFactory.getLogger(ExternalKeyspaceCommands.class);

    private final ExternalKeyspaces store;
    private final ExternalValidator validator;
    private final Set<String> configKeyspaces;
    private final Executor executor;

    /**
     * @param configKeyspaces the keyspaces of the YAML config: an external keyspace may not take one's name
     * @param executor where the commands run (they block on JDBC); never a Netty event loop
     */
    public ExternalKeyspaceCommands(ExternalKeyspaces store, ExternalValidator validator, Set<String> configKeyspaces,
                                    Executor executor) {
        this.store = store;
        this.validator = validator;
        this.configKeyspaces = Set.copyOf(configKeyspaces);
        this.executor = executor;
    }

    @Override
    public Optional<Result> execute(Caller caller, String sql) {
        if (!ExternalKeyspaceSyntax.claims(sql)) {
            return Optional.empty();
        }
        if (caller.user().role() != User.Role.ADMIN) {
            return Optional.of(new Error(MySqlError.ER_SPECIFIC_ACCESS_DENIED_ERROR.exception("SWITCHYARD ADMIN")));
        }
        ExternalKeyspaceSyntax.Statement statement;
        try {
            statement = ExternalKeyspaceSyntax.parse(sql);
        } catch (ExternalKeyspaceSyntax.Syntax e) {
            return Optional.of(new Error(MySqlError.ER_PARSE_ERROR.exception(e.getMessage())));
        } catch (IllegalArgumentException | ExternalKeyspaceException e) {
            return Optional.of(new Error(MySqlError.ER_WRONG_ARGUMENTS.exception(e.getMessage())));
        }
        return Optional.of(dispatch(statement));
    }

    private Result dispatch(ExternalKeyspaceSyntax.Statement statement) {
        // Java 17 has no pattern matching for switch; the statement types are sealed, so this chain is complete.
        if (statement instanceof ExternalKeyspaceSyntax.Create c) {
            return run(() -> create(c.keyspace(), c.skipValidation()));
        }
        if (statement instanceof ExternalKeyspaceSyntax.Validate v) {
            return run(() -> validationRows(validator.validate(store.get(v.name())), Optional.empty()));
        }
        if (statement instanceof ExternalKeyspaceSyntax.AlterReplica a) {
            return run(() -> {
                if (a.add()) {
                    ExternalKeyspace keyspace = store.get(a.name());
                    Optional<String> problem = validator.checkReplica(keyspace.withReplica(a.replica()), a.replica());
                    if (problem.isPresent()) {
                        throw new ExternalKeyspaceException(ExternalKeyspaceException.Reason.CONNECTION, "replica "
                                + a.replica() + " not added: " + problem.get());
                    }
                }
                ExternalKeyspace after = a.add() ? store.addReplica(a.name(), a.replica())
                        : store.removeReplica(a.name(), a.replica());
                return new Ok(1, "external keyspace " + a.name() + " replicas: " + (after.replicas().isEmpty() ? "none"
                        : after.replicas().stream().map(Object::toString).collect(Collectors.joining(", "))));
            });
        }
        if (statement instanceof ExternalKeyspaceSyntax.Drop d) {
            return run(() -> {
                if (!store.delete(d.name())) {
                    throw new ExternalKeyspaceException(ExternalKeyspaceException.Reason.NOT_FOUND, "external"
                            + " keyspace " + d.name() + " does not exist; SHOW EXTERNAL KEYSPACES lists them");
                }
                log.info("dropped external keyspace {} and its stored credentials", d.name());
                return new Ok(1, "external keyspace " + d.name() + " dropped; its stored credentials are deleted");
            });
        }
        return run(this::show);
    }

    private Result create(ExternalKeyspace keyspace, boolean skipValidation) throws SQLException {
        if (configKeyspaces.contains(keyspace.name())) {
            throw new ExternalKeyspaceException(ExternalKeyspaceException.Reason.BAD_SETTING, "keyspace "
                    + keyspace.name() + " is in the config; choose another name for the external keyspace");
        }
        store.requireCredentialsKey("create external keyspace " + keyspace.name());
        if (store.exists(keyspace.name())) {
            throw new ExternalKeyspaceException(ExternalKeyspaceException.Reason.EXISTS, "external keyspace "
                    + keyspace.name() + " already exists; DROP EXTERNAL KEYSPACE " + keyspace.name() + " first, or"
                    + " choose another name");
        }
        ValidationReport report = validator.validate(keyspace);
        if (report.hasFailures() && !skipValidation) {
            String failures = report.failures().stream().map(r -> "[" + r.check() + "] " + r.message())
                    .collect(Collectors.joining(" | "));
            throw new ExternalKeyspaceException(ExternalKeyspaceException.Reason.BAD_SETTING, "external keyspace "
                    + keyspace.name() + " was not created: " + report.failures().size() + " check(s) failed: "
                    + failures + ". Fix them and run CREATE EXTERNAL KEYSPACE again, or add SKIP VALIDATION to store"
                    + " it anyway");
        }
        store.create(keyspace);
        log.info("created external keyspace {}", keyspace); // toString has no secrets
        String outcome = "external keyspace " + keyspace.name() + " created"
                + (report.hasFailures() ? " without passing validation (SKIP VALIDATION); VALIDATE EXTERNAL KEYSPACE "
                        + keyspace.name() + " re-runs the checks" : "")
                + (report.skippable().isEmpty() ? "" : "; " + report.skippable().size() + " skippable failure(s):"
                        + " an import that skips them takes all tables")
                + (report.foreignKeys() ? "; foreign keys found: an import takes all tables" : "");
        return validationRows(report, Optional.of(outcome));
    }

    private Result show() throws SQLException {
        List<ResultRow> rows = new ArrayList<>();
        for (ExternalKeyspace k : store.list()) {
            rows.add(ResultRow.ofStrings(k.name(), k.host(), Integer.toString(k.port()), k.database(), k.user(),
                    k.auth() instanceof ExternalAuth.Password ? "password" : "client certificate",
                    k.sslMode().name(), k.ca().isPresent() ? "yes" : "no", k.tlsMinVersion().orElse(null),
                    k.sslServerName().orElse(null), Integer.toString(k.importConnections()),
                    k.replicas().stream().map(Object::toString).collect(Collectors.joining(","))));
        }
        return new Rows(new TextResultSet(columns("keyspace", "host", "port", "database", "user", "auth", "ssl_mode",
                "ssl_ca", "tls_min_version", "ssl_server_name", "import_connections", "replicas"), rows));
    }

    private static Result validationRows(ValidationReport report, Optional<String> outcome) {
        List<ResultRow> rows = new ArrayList<>();
        for (ValidationResult r : report.results()) {
            rows.add(ResultRow.ofStrings(r.check(), r.table().orElse(null), r.status().label(), r.message()));
        }
        outcome.ifPresent(text -> rows.add(ResultRow.ofStrings("create", null, "pass", text)));
        return new Rows(new TextResultSet(columns("check", "table", "status", "message"), rows));
    }

    @FunctionalInterface
    private interface Work {
        Result call() throws SQLException;
    }

    private Result run(Work work) {
        CompletableFuture<Result> answer = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                answer.complete(work.call());
            } catch (ExternalKeyspaceException e) {
                answer.complete(new Error(switch (e.reason()) {
                    case BAD_SETTING -> MySqlError.ER_WRONG_ARGUMENTS.exception(e.getMessage());
                    default -> MySqlError.ER_UNKNOWN_ERROR.exception(e.getMessage());
                }));
            } catch (SQLException | RuntimeException e) {
                log.warn("external keyspace command failed: {}", e.toString());
                answer.complete(new Error(MySqlError.ER_UNKNOWN_ERROR.exception("the topology store failed: "
                        + e.getMessage())));
            }
        });
        return new Deferred(answer);
    }

    private static List<ColumnDefinition41> columns(String... names) {
        return List.of(names).stream().map(ColumnDefinition41::varString).toList();
    }
}
