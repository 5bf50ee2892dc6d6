package io.switchyard.admin.sql;

import io.switchyard.admin.workflow.Workflows;
import io.switchyard.config.User;
import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.packet.resultset.ColumnDefinition41;
import io.switchyard.proxy.packet.resultset.ResultRow;
import io.switchyard.proxy.packet.resultset.TextResultSet;
import io.switchyard.proxy.server.LocalCommands;
import io.switchyard.replication.workflow.MoveTablesSpec;
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
 * The workflow commands of the admin SQL: {@code CREATE WORKFLOW ... MOVE TABLES}, {@code SHOW WORKFLOWS},
 * {@code SHOW WORKFLOW wf [STREAMS | LOGS]}, {@code STOP | START | RETRY WORKFLOW wf}. Admins only (1227). The
 * work runs on the workflow executor; the session waits for the answer.
 */
public final class WorkflowCommands implements LocalCommands {
    private static final Pattern CREATE = Pattern.compile("(?is)\\s*CREATE\\s+WORKFLOW\\s+`?(\\w+)`?\\s+MOVE\\s+TABLES"
            + "\\s+(.+?)\\s+FROM\\s+`?(\\w+)`?\\s+TO\\s+`?(\\w+)`?(?:\\s+WITH\\s*\\((.*)\\))?\\s*;?\\s*");
    private static final Pattern SHOW_ALL = Pattern.compile("(?is)\\s*SHOW\\s+WORKFLOWS\\s*;?\\s*");
    private static final Pattern SHOW_ONE =
            Pattern.compile("(?is)\\s*SHOW\\s+WORKFLOW\\s+`?(\\w+)`?(?:\\s+(STREAMS|LOGS))?\\s*;?\\s*");
    private static final Pattern STOP_START =
            Pattern.compile("(?is)\\s*(STOP|START|RETRY)\\s+WORKFLOW\\s+`?(\\w+)`?\\s*;?\\s*");
    private static final Pattern WORKFLOW_WORD =
            Pattern.compile("(?is)\\s*(CREATE|SHOW|STOP|START|RETRY)\\s+WORKFLOWS?\\b.*");
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
        Matcher m;
        if ((m = CREATE.matcher(sql)).matches()) {
            return Optional.of(create(m));
        }
        if (SHOW_ALL.matcher(sql).matches()) {
            return Optional.of(deferred(workflows.list().thenApply(this::workflowRows)));
        }
        if ((m = SHOW_ONE.matcher(sql)).matches()) {
            String what = m.group(2) == null ? "" : m.group(2).toUpperCase(Locale.ROOT);
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
        return Optional.of(new Error(MySqlError.ER_PARSE_ERROR.exception("expected CREATE WORKFLOW wf MOVE TABLES"
                + " t1, t2 | ALL FROM src TO dst [WITH (...)], SHOW WORKFLOWS, SHOW WORKFLOW wf [STREAMS | LOGS],"
                + " STOP WORKFLOW wf, START WORKFLOW wf or RETRY WORKFLOW wf")));
    }

    private Result create(Matcher m) {
        String name = m.group(1);
        String tableList = m.group(2).strip();
        List<String> tables = tableList.equalsIgnoreCase("ALL") ? List.of()
                : Arrays.stream(tableList.split(",")).map(t -> t.strip().replace("`", "")).toList();
        WorkflowOptions options = WorkflowOptions.DEFAULTS;
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
                        case "auto_start" -> {
                            if (!bool(key, value)) {
                                throw new IllegalArgumentException("auto_start = false is not supported: the"
                                        + " workflow starts at create; use stop_after_copy, or STOP WORKFLOW");
                            }
                            yield options;
                        }
                        default -> throw new IllegalArgumentException("unknown workflow option '" + key + "' (known:"
                                + " defer_secondary_keys, on_ddl, global_keyspace, stop_after_copy,"
                                + " copy_parallelism, auto_start)");
                    };
                } catch (IllegalArgumentException e) {
                    return new Error(MySqlError.ER_WRONG_ARGUMENTS.exception(e.getMessage()));
                }
            }
        }
        MoveTablesSpec spec = new MoveTablesSpec(name, m.group(3), m.group(4), tables, options);
        return deferred(workflows.create(spec).thenApply(status -> new Ok(0, "workflow " + name + " created: "
                + status.tables().size() + " table(s), state " + status.state())));
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
            rows.add(ResultRow.ofStrings(status.name(), status.type(), status.state(), status.source(),
                    status.target(), String.join(",", status.tables().stream().map(WorkflowStatus.TableStatus::table)
                            .toList()), TIME.format(status.createdAt()),
                    Long.toString(Math.max(0, now - status.createdAt().getEpochSecond())),
                    lag < 0 ? null : Long.toString(lag)));
        }
        return new Rows(new TextResultSet(columns("workflow", "type", "state", "source", "target", "tables",
                "created", "duration_seconds", "lag_seconds"), rows));
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
            long pct = table.rowsTotal() <= 0 ? 100 : Math.min(100, table.rowsCopied() * 100 / table.rowsTotal());
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
