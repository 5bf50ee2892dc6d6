package io.switchyard.admin.sql;

import io.switchyard.admin.workflow.ImportView;
import io.switchyard.admin.workflow.Workflows;
import io.switchyard.config.User;
import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.packet.resultset.ColumnDefinition41;
import io.switchyard.proxy.packet.resultset.ResultRow;
import io.switchyard.proxy.packet.resultset.TextResultSet;
import io.switchyard.proxy.server.LocalCommands;
import io.switchyard.replication.workflow.CreateCheck;
import io.switchyard.replication.workflow.LagHistory;
import io.switchyard.replication.workflow.MoveTablesSpec;
import io.switchyard.replication.verify.VerificationStore;
import io.switchyard.replication.workflow.SourceTables;
import io.switchyard.replication.workflow.SwitchOptions;
import io.switchyard.replication.workflow.WorkflowLog;
import io.switchyard.replication.workflow.WorkflowOptions;
import io.switchyard.replication.workflow.WorkflowStatus;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The workflow commands of the admin SQL: {@code CREATE WORKFLOW ... MOVE TABLES | IMPORT}, {@code VALIDATE
 * WORKFLOW ...} (the same statement, checked only), {@code SHOW WORKFLOWS},
 * {@code SHOW WORKFLOW wf [STREAMS | LOGS]}, {@code STOP | START | RETRY WORKFLOW wf}. Admins only (1227). The
 * work runs on the workflow executor; the session waits for the answer.
 */
public final class WorkflowCommands implements LocalCommands {
    private static final Pattern CREATE = Pattern.compile("(?is)\\s*CREATE\\s+WORKFLOW\\s+`?(\\w+)`?\\s+MOVE\\s+TABLES"
            + "\\s+(.+?)\\s+FROM\\s+`?(\\w+)`?\\s+TO\\s+`?(\\w+)`?(?:\\s+WITH\\s*\\((.*)\\))?\\s*;?\\s*");
    /** {@code CREATE WORKFLOW wf IMPORT ALL | t1, t2 FROM EXTERNAL ks INTO target}: groups as {@link #CREATE}'s. */
    private static final Pattern IMPORT = Pattern.compile("(?is)\\s*CREATE\\s+WORKFLOW\\s+`?(\\w+)`?\\s+IMPORT"
            + "\\s+(.+?)\\s+FROM\\s+EXTERNAL\\s+`?(\\w+)`?\\s+INTO\\s+`?(\\w+)`?(?:\\s+WITH\\s*\\((.*)\\))?\\s*;?\\s*");
    private static final Pattern SHOW_ALL = Pattern.compile("(?is)\\s*SHOW\\s+WORKFLOWS\\s*;?\\s*");
    private static final Pattern SHOW_ONE = Pattern.compile(
            "(?is)\\s*SHOW\\s+WORKFLOW\\s+`?(\\w+)`?(?:\\s+(STREAMS|LOGS|VERIFICATION|LAG\\s+HISTORY|IMPORT))?\\s*;?\\s*");
    /** {@code VALIDATE WORKFLOW wf ...}: the rest as in {@link #CREATE} or {@link #IMPORT}, nothing created. */
    private static final Pattern VALIDATE = Pattern.compile("(?is)\\s*VALIDATE(\\s+WORKFLOW\\s.*)");
    private static final Pattern VERIFY = Pattern.compile("(?is)\\s*VERIFY\\s+WORKFLOW\\s+`?(\\w+)`?\\s*;?\\s*");
    private static final Pattern SWITCH = Pattern.compile("(?is)\\s*(SWITCH|REVERSE)\\s+TRAFFIC\\s+FOR\\s+WORKFLOW"
            + "\\s+`?(\\w+)`?(\\s+REPLICAS\\s+ONLY)?(\\s+DRY\\s+RUN)?(?:\\s+WITH\\s*\\((.*)\\))?\\s*;?\\s*");
    private static final Pattern COMPLETE = Pattern.compile("(?is)\\s*COMPLETE\\s+WORKFLOW\\s+`?(\\w+)`?"
            + "(?:\\s+(KEEP\\s+DATA|RENAME\\s+TABLES))?\\s*;?\\s*");
    private static final Pattern CANCEL =
            Pattern.compile("(?is)\\s*CANCEL\\s+WORKFLOW\\s+`?(\\w+)`?(\\s+KEEP\\s+DATA)?\\s*;?\\s*");
    private static final Pattern STOP_START =
            Pattern.compile("(?is)\\s*(STOP|START|RETRY)\\s+WORKFLOW\\s+`?(\\w+)`?\\s*;?\\s*");
    private static final Pattern WORKFLOW_WORD =
            Pattern.compile("(?is)\\s*((CREATE|SHOW|STOP|START|RETRY|VERIFY|VALIDATE|COMPLETE|CANCEL)\\s+WORKFLOWS?"
                    + "|(SWITCH|REVERSE)\\s+TRAFFIC)\\b.*");
    private static final int LOG_ROWS = 200;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private final Workflows workflows;
    private final Clock clock;

    public WorkflowCommands(Workflows workflows, Clock clock) {
        this.workflows = workflows;
        this.clock = clock;
    }

    @Override
    public Optional<Result> execute(Caller caller, String sql) {
        if (!WORKFLOW_WORD.matcher(sql).matches()) {
            return Optional.empty();
        }
        if (caller.user().role() != User.Role.ADMIN) {
            return Optional.of(new Error(MySqlError.ER_SPECIFIC_ACCESS_DENIED_ERROR.exception("SWITCHYARD ADMIN")));
        }
        Optional<Result> result = run(sql);
        Optional<String> changed = changedWorkflow(sql);
        if (changed.isPresent() && result.isPresent() && result.get() instanceof Deferred deferred) {
            // Who did what, when, in the workflow's own log (the API's "who/when"): commands that change it only.
            String command = sql.strip().replaceAll("\\s+", " ").replaceAll(";$", "");
            deferred.answer().whenComplete((answer, error) -> workflows.audit(changed.get(), caller.user().name()
                    + " ran " + command + (answer instanceof Error refused ? " (refused: "
                    + refused.error().getMessage() + ")" : "")));
        }
        return result;
    }

    /** The workflow a mutating command names, for the audit line; empty for SHOW and for bad syntax. */
    private static Optional<String> changedWorkflow(String sql) {
        for (Pattern pattern : List.of(CREATE, IMPORT, VERIFY, COMPLETE, CANCEL)) {
            Matcher m = pattern.matcher(sql);
            if (m.matches()) {
                return Optional.of(m.group(1));
            }
        }
        Matcher m = STOP_START.matcher(sql);
        if (m.matches()) {
            return Optional.of(m.group(2));
        }
        m = SWITCH.matcher(sql);
        return m.matches() ? Optional.of(m.group(2)) : Optional.empty();
    }

    private Optional<Result> run(String sql) {
        Matcher m;
        if ((m = CREATE.matcher(sql)).matches() || (m = IMPORT.matcher(sql)).matches()) {
            return Optional.of(create(m, false));
        }
        if ((m = VALIDATE.matcher(sql)).matches()) {
            String asCreate = "CREATE" + m.group(1);
            if ((m = CREATE.matcher(asCreate)).matches() || (m = IMPORT.matcher(asCreate)).matches()) {
                return Optional.of(create(m, true));
            }
        }
        if (SHOW_ALL.matcher(sql).matches()) {
            return Optional.of(deferred(workflows.list().thenApply(this::workflowRows)));
        }
        if ((m = SHOW_ONE.matcher(sql)).matches()) {
            String what = m.group(2) == null ? "" : m.group(2).toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
            if (what.equals("LAG HISTORY")) {
                return Optional.of(deferred(workflows.lagHistory(m.group(1)).thenApply(WorkflowCommands::lagRows)));
            }
            if (what.equals("IMPORT")) {
                return Optional.of(deferred(workflows.importView(m.group(1)).thenApply(WorkflowCommands::importRow)));
            }
            if (what.equals("VERIFICATION")) {
                return Optional.of(deferred(workflows.verification(m.group(1)).thenApply(this::verificationRows)));
            }
            if (what.equals("LOGS")) {
                return Optional.of(deferred(workflows.logs(m.group(1), LOG_ROWS).thenApply(WorkflowCommands::logRows)));
            }
            return Optional.of(deferred(workflows.status(m.group(1))
                    .thenApply(status -> what.equals("STREAMS") ? streamRows(status) : tableRows(status))));
        }
        if ((m = STOP_START.matcher(sql)).matches()) {
            String verb = m.group(1).toUpperCase(Locale.ROOT);
            String name = m.group(2);
            CompletableFuture<WorkflowStatus> done = switch (verb) {
                case "STOP" -> workflows.stop(name);
                case "RETRY" -> workflows.retry(name);
                default -> workflows.start(name);
            };
            return Optional.of(deferred(done.thenApply(status -> new Ok(0, "workflow " + name + " is "
                    + status.state()))));
        }
        if ((m = VERIFY.matcher(sql)).matches()) {
            return Optional.of(deferred(workflows.verify(m.group(1)).thenApply(text -> new Ok(0, text))));
        }
        if ((m = SWITCH.matcher(sql)).matches()) {
            return Optional.of(switchTraffic(m));
        }
        if ((m = COMPLETE.matcher(sql)).matches()) {
            String mode = m.group(2) == null ? "" : m.group(2).toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
            SourceTables tables = switch (mode) {
                case "KEEP DATA" -> SourceTables.KEEP;
                case "RENAME TABLES" -> SourceTables.RENAME;
                default -> SourceTables.DROP;
            };
            return Optional.of(deferred(workflows.complete(m.group(1), tables).thenApply(text -> new Ok(0, text))));
        }
        if ((m = CANCEL.matcher(sql)).matches()) {
            return Optional.of(deferred(workflows.cancel(m.group(1), m.group(2) != null)
                    .thenApply(text -> new Ok(0, text))));
        }
        return Optional.of(new Error(MySqlError.ER_PARSE_ERROR.exception("expected CREATE WORKFLOW wf MOVE TABLES"
                + " t1, t2 | ALL FROM src TO dst [WITH (...)], CREATE WORKFLOW wf IMPORT t1, t2 | ALL FROM EXTERNAL ks"
                + " INTO dst [WITH (...)], VALIDATE WORKFLOW followed by what CREATE WORKFLOW takes, SHOW WORKFLOWS,"
                + " SHOW WORKFLOW wf [STREAMS | LOGS | VERIFICATION | LAG HISTORY | IMPORT], STOP WORKFLOW wf,"
                + " START WORKFLOW wf, RETRY WORKFLOW wf, VERIFY WORKFLOW wf,"
                + " SWITCH TRAFFIC FOR WORKFLOW wf [REPLICAS ONLY] [DRY RUN] [WITH (timeout = '10s', max_lag = '30s',"
                + " max_held = 1000)], REVERSE TRAFFIC FOR WORKFLOW wf [DRY RUN], COMPLETE WORKFLOW wf [KEEP DATA |"
                + " RENAME TABLES] or CANCEL WORKFLOW wf [KEEP DATA]")));
    }

    /** CREATE WORKFLOW, or with {@code validateOnly} VALIDATE WORKFLOW: the same statement, checked only. */
    private Result create(Matcher m, boolean validateOnly) {
        String name = m.group(1);
        String tableList = m.group(2).strip();
        List<String> tables = tableList.equalsIgnoreCase("ALL") ? List.of()
                : Arrays.stream(tableList.split(",")).map(t -> t.strip().replace("`", "")).toList();
        WorkflowOptions options = WorkflowOptions.DEFAULTS;
        boolean checkStorage = true; // a create-time choice, not an option the workflow keeps
        if (m.group(5) != null && !m.group(5).isBlank()) {
            for (String option : m.group(5).split(",")) {
                String[] kv = option.split("=", 2);
                String key = kv[0].strip().toLowerCase(Locale.ROOT);
                String value = kv.length < 2 ? "" : kv[1].strip().replace("'", "").replace("\"", "");
                try {
                    options = switch (key) {
                        case "defer_secondary_keys" -> options.withDeferSecondaryKeys(bool(key, value));
                        case "on_ddl" -> options.withOnDdl(onDdl(value));
                        case "global_keyspace" -> options.withGlobalKeyspace(value);
                        case "stop_after_copy" -> options.withStopAfterCopy(bool(key, value));
                        case "copy_parallelism" -> options.withCopyParallelism(integer(key, value));
                        case "auto_start" -> options.withAutoStart(bool(key, value));
                        case "check_storage" -> {
                            checkStorage = bool(key, value);
                            yield options;
                        }
                        default -> throw new IllegalArgumentException("unknown workflow option '" + key + "' (known:"
                                + " defer_secondary_keys, on_ddl, global_keyspace, stop_after_copy,"
                                + " copy_parallelism, auto_start, check_storage)");
                    };
                } catch (IllegalArgumentException e) {
                    return new Error(MySqlError.ER_WRONG_ARGUMENTS.exception(e.getMessage()));
                }
            }
        }
        MoveTablesSpec spec = new MoveTablesSpec(name, m.group(3), m.group(4), tables, options);
        boolean importSyntax = m.pattern() == IMPORT;
        if (validateOnly) {
            return deferred(workflows.validate(spec, importSyntax).thenApply(WorkflowCommands::checkRows));
        }
        return deferred(workflows.create(spec, importSyntax, checkStorage).thenApply(status -> new Ok(0, "workflow " + name + " created: "
                + status.tables().size() + " table(s), state " + status.state())));
    }

    private Result switchTraffic(Matcher m) {
        boolean reverse = m.group(1).equalsIgnoreCase("REVERSE");
        boolean replicasOnly = m.group(3) != null;
        boolean dryRun = m.group(4) != null;
        if (reverse && replicasOnly) {
            return new Error(MySqlError.ER_WRONG_ARGUMENTS.exception("REVERSE TRAFFIC ... REPLICAS ONLY: reverse"
                    + " traffic moves primaries and replicas together; CANCEL WORKFLOW undoes a replica-only switch"));
        }
        SwitchOptions options = SwitchOptions.DEFAULTS;
        if (m.group(5) != null && !m.group(5).isBlank()) {
            for (String option : m.group(5).split(",")) {
                String[] kv = option.split("=", 2);
                String key = kv[0].strip().toLowerCase(Locale.ROOT);
                String value = kv.length < 2 ? "" : kv[1].strip().replace("'", "").replace("\"", "");
                try {
                    options = switch (key) {
                        case "timeout" -> new SwitchOptions(duration(key, value), options.maxLag(), options.maxHeld());
                        case "max_lag" -> new SwitchOptions(options.window(), duration(key, value), options.maxHeld());
                        case "max_held" -> new SwitchOptions(options.window(), options.maxLag(), integer(key, value));
                        default -> throw new IllegalArgumentException("unknown switch option '" + key + "' (known:"
                                + " timeout, max_lag, max_held)");
                    };
                } catch (IllegalArgumentException e) {
                    return new Error(MySqlError.ER_WRONG_ARGUMENTS.exception(e.getMessage()));
                }
            }
        }
        String name = m.group(2);
        CompletableFuture<String> done = reverse ? workflows.reverseTraffic(name, dryRun, options)
                : workflows.switchTraffic(name, replicasOnly, dryRun, options);
        return deferred(done.thenApply(text -> new Ok(0, text)));
    }

    /** {@code 10s}, {@code 500ms}, {@code 2m}, or a number of seconds. */
    private static java.time.Duration duration(String key, String value) {
        Matcher m = Pattern.compile("(\\d+)\\s*(ms|s|m)?").matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(key + " = '" + value + "': use a duration such as '10s', '500ms' or"
                    + " '2m'");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> java.time.Duration.ofMillis(amount);
            case "m" -> java.time.Duration.ofMinutes(amount);
            default -> java.time.Duration.ofSeconds(amount);
        };
    }

    private Result verificationRows(List<VerificationStore.TableVerification> tables) {
        List<ResultRow> rows = new ArrayList<>();
        java.time.Instant now = clock.instant();
        for (VerificationStore.TableVerification table : tables) {
            var report = table.report();
            rows.add(ResultRow.ofStrings(table.table(), table.state().name().toLowerCase(Locale.ROOT),
                    report.map(r -> Long.toString(r.processed())).orElse(null),
                    report.map(r -> Long.toString(r.matching())).orElse(null),
                    report.map(r -> Long.toString(r.mismatched())).orElse(null),
                    report.map(r -> Long.toString(r.extraSource())).orElse(null),
                    report.map(r -> Long.toString(r.extraTarget())).orElse(null),
                    report.map(r -> String.join(" ", r.mismatchedSamples())).orElse(null),
                    report.map(r -> String.join(" ", r.extraSourceSamples())).orElse(null),
                    report.map(r -> String.join(" ", r.extraTargetSamples())).orElse(null),
                    report.map(r -> TIME.format(r.finished())).orElse(null),
                    report.map(r -> Boolean.toString(r.finished().plus(java.time.Duration.ofHours(24))
                            .isBefore(now))).orElse(null),
                    table.message()));
        }
        return new Rows(new TextResultSet(columns("table", "state", "processed", "matching", "mismatched",
                "extra_source", "extra_target", "mismatched_samples", "extra_source_samples", "extra_target_samples",
                "finished", "stale", "message"), rows));
    }

    private static boolean bool(String key, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1", "on" -> true;
            case "false", "0", "off" -> false;
            default -> throw new IllegalArgumentException(key + " = '" + value + "': use true or false");
        };
    }

    private static int integer(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " = '" + value + "': use a whole number");
        }
    }

    private static MoveTablesSpec.OnDdl onDdl(String value) {
        try {
            return MoveTablesSpec.OnDdl.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("on_ddl '" + value + "': use STOP, IGNORE, EXEC or EXEC_IGNORE");
        }
    }

    private static Result deferred(CompletableFuture<? extends Result> answer) {
        CompletableFuture<Result> mapped = answer.handle((result, error) -> {
            if (error == null) {
                return result;
            }
            Throwable cause = error.getCause() != null ? error.getCause() : error;
            return new Error(MySqlError.ER_UNKNOWN_ERROR.exception(String.valueOf(cause.getMessage())));
        });
        return new Deferred(mapped);
    }

    private Result workflowRows(List<WorkflowStatus> statuses) {
        List<ResultRow> rows = new ArrayList<>();
        long now = clock.instant().getEpochSecond();
        for (WorkflowStatus status : statuses) {
            long lag = status.lagSeconds();
            long created = status.createdAt().getEpochSecond();
            long end = status.finishedAt().map(java.time.Instant::getEpochSecond).orElse(now);
            rows.add(ResultRow.ofStrings(status.name(), status.type(), status.state(), status.source(),
                    status.target(), String.join(",", status.tables().stream().map(WorkflowStatus.TableStatus::table)
                            .toList()), TIME.format(status.createdAt()), Long.toString(Math.max(0, end - created)),
                    lag < 0 ? null : Long.toString(lag), status.traffic(),
                    status.copiedAt().map(c -> Long.toString(Math.max(0, c.getEpochSecond() - created))).orElse(null),
                    status.finishedAt().map(TIME::format).orElse(null)));
        }
        return new Rows(new TextResultSet(columns("workflow", "type", "state", "source", "target", "tables",
                "created", "duration_seconds", "lag_seconds", "traffic", "copy_seconds", "finished"), rows));
    }

    private static Result checkRows(List<CreateCheck> checks) {
        List<ResultRow> rows = new ArrayList<>();
        for (CreateCheck check : checks) {
            rows.add(ResultRow.ofStrings(check.check(), check.status().label(), check.message()));
        }
        return new Rows(new TextResultSet(columns("check", "status", "message"), rows));
    }

    private static Result lagRows(List<LagHistory.Point> points) {
        List<ResultRow> rows = new ArrayList<>();
        for (LagHistory.Point point : points) {
            rows.add(ResultRow.ofStrings(DateTimeFormatter.ISO_INSTANT.format(point.time()),
                    Long.toString(point.lagSeconds())));
        }
        return new Rows(new TextResultSet(columns("time", "lag_seconds"), rows));
    }

    private static Result importRow(ImportView view) {
        return new Rows(new TextResultSet(columns("external_keyspace", "host", "port", "database", "connection",
                "phase", "state", "target_keyspace", "target_shards", "primary_traffic", "replica_traffic",
                "replicas"), List.of(ResultRow.ofStrings(view.externalKeyspace(), view.host().orElse(null),
                view.port().map(String::valueOf).orElse(null), view.database().orElse(null), view.connection(),
                view.phase(), view.state(), view.targetKeyspace(), String.join(",", view.targetShards()),
                view.primaryTraffic(), view.replicaTraffic(), String.join(",", view.replicas())))));
    }

    private static Result logRows(List<WorkflowLog.Entry> entries) {
        List<ResultRow> rows = new ArrayList<>();
        for (WorkflowLog.Entry entry : entries) {
            rows.add(ResultRow.ofStrings(TIME.format(entry.time()), entry.level(), entry.message()));
        }
        return new Rows(new TextResultSet(columns("time", "level", "message"), rows));
    }

    private static Result tableRows(WorkflowStatus status) {
        long lag = status.streams().stream().mapToLong(WorkflowStatus.StreamStatus::lagSeconds).max().orElse(-1);
        List<ResultRow> rows = new ArrayList<>();
        for (WorkflowStatus.TableStatus table : status.tables()) {
            // rows_total is the source's estimate, which can be off either way: a copied table is 100 % whatever it says.
            long pct = table.state().equals("copied") || table.rowsTotal() <= 0 ? 100
                    : Math.min(99, table.rowsCopied() * 100 / table.rowsTotal());
            rows.add(ResultRow.ofStrings(table.table(), table.state(), Long.toString(table.rowsCopied()),
                    Long.toString(table.rowsTotal()), Long.toString(pct), lag < 0 ? null : Long.toString(lag)));
        }
        return new Rows(new TextResultSet(columns("table", "state", "rows_copied", "rows_total", "pct",
                "lag_seconds"), rows));
    }

    private static Result streamRows(WorkflowStatus status) {
        List<ResultRow> rows = new ArrayList<>();
        for (WorkflowStatus.StreamStatus stream : status.streams()) {
            rows.add(ResultRow.ofStrings(stream.sourceShard(), stream.targetShard(), stream.state(), stream.pos(),
                    stream.lagSeconds() < 0 ? null : Long.toString(stream.lagSeconds()),
                    Long.toString(stream.rowsCopied()), stream.message()));
        }
        return new Rows(new TextResultSet(columns("source_shard", "target_shard", "state", "pos", "lag_seconds",
                "rows_copied", "message"), rows));
    }

    private static List<ColumnDefinition41> columns(String... names) {
        return List.of(names).stream().map(ColumnDefinition41::varString).toList();
    }
}
