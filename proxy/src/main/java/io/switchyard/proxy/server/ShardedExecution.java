package io.switchyard.proxy.server;

import io.switchyard.proxy.backend.SimpleResult;
import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.codec.ProtocolException;
import io.switchyard.proxy.packet.resultset.ColumnDefinition41;
import io.switchyard.proxy.packet.resultset.ResultRow;
import io.switchyard.proxy.packet.resultset.TextResultSet;
import io.switchyard.proxy.session.StatementKind;
import io.switchyard.proxy.session.TabletType;
import io.switchyard.routing.merge.ColumnKind;
import io.switchyard.routing.merge.MergeException;
import io.switchyard.routing.merge.MergeSpec;
import io.switchyard.routing.merge.ResultMerger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A statement that runs on several shards at once: each shard's SQL on the session's lease for that shard, in
 * parallel, then one answer for the client — merged rows for a SELECT (ORDER BY, LIMIT, aggregates as the plan's
 * {@link MergeSpec} says), the sum of affected rows for DML, the first shard's error for anything that failed.
 * Unlike single-shard results, these rows are decoded: merging needs them.
 */
final class ShardedExecution {
    private final GatewayContext context;
    private final CommandPhase commands;
    private final FrontendHandler frontend;

    ShardedExecution(GatewayContext context, CommandPhase commands, FrontendHandler frontend) {
        this.context = context;
        this.commands = commands;
        this.frontend = frontend;
    }

    /** @param lastInsertId the last-insert-id for the client's OK (ids from a sequence), 0 if none */
    void run(String keyspace, TabletType type, Map<String, String> sqlByShard, MergeSpec merge, StatementKind kind,
             long lastInsertId) {
        long started = System.nanoTime();
        Map<String, CompletableFuture<SimpleResult>> results = new LinkedHashMap<>();
        sqlByShard.forEach((shard, sql) -> results.put(shard, commands.leaseForStatement(new LeaseKey(keyspace, shard, type))
                .thenCompose(lease -> lease.connection().query(sql))));
        CompletableFuture.allOf(results.values().toArray(CompletableFuture[]::new))
                .whenComplete((ignored, error) -> commands.onLoop(() -> {
                    if (commands.isClosed()) {
                        return;
                    }
                    answer(results, merge, lastInsertId);
                    context.metrics().query(keyspace, type.label(), kind.label(), System.nanoTime() - started);
                }));
    }

    private void answer(Map<String, CompletableFuture<SimpleResult>> results, MergeSpec merge, long lastInsertId) {
        List<SimpleResult> answers = new ArrayList<>();
        for (Map.Entry<String, CompletableFuture<SimpleResult>> entry : results.entrySet()) {
            CompletableFuture<SimpleResult> result = entry.getValue();
            if (result.isCompletedExceptionally()) {
                ProtocolException cause = CommandPhase.toProtocol(result.handle((r, e) -> e).join());
                commands.fail(new ProtocolException(cause.errorCode(), cause.sqlState(),
                        "shard " + entry.getKey() + ": " + cause.getMessage()));
                return;
            }
            answers.add(result.join());
        }
        SimpleResult first = answers.get(0);
        if (first.definitions().isEmpty()) {
            long affected = answers.stream().mapToLong(SimpleResult::affectedRows).sum();
            frontend.writeOk(1, affected, lastInsertId, "");
            commands.done();
            return;
        }
        List<ColumnKind> kinds = first.definitions().stream()
                .map(d -> ColumnKind.of(d.type().code(), d.flags())).toList();
        List<List<List<byte[]>>> shardRows = answers.stream().map(SimpleResult::cells).toList();
        List<List<byte[]>> rows;
        try {
            rows = ResultMerger.merge(merge, kinds, shardRows);
        } catch (MergeException e) {
            commands.fail(MySqlError.ER_UNKNOWN_ERROR.exception("cannot merge the shards' results: "
                    + e.getMessage()));
            return;
        }
        frontend.writeResultSet(1, new TextResultSet(columns(first.definitions(), merge),
                rows.stream().map(ResultRow::new).toList()));
        commands.done();
    }

    /** The shards' column definitions without the helper columns, AVG columns with MySQL's 4 extra decimals. */
    private static List<ColumnDefinition41> columns(List<ColumnDefinition41> shardColumns, MergeSpec merge) {
        int visible = shardColumns.size() - merge.hiddenColumns();
        List<ColumnDefinition41> columns = new ArrayList<>(shardColumns.subList(0, visible));
        for (MergeSpec.ColumnRef average : merge.averageColumns()) {
            int i = average.index(shardColumns.size());
            if (i < visible) {
                ColumnDefinition41 c = columns.get(i);
                columns.set(i, new ColumnDefinition41(c.catalog(), c.schema(), c.table(), c.orgTable(), c.name(),
                        c.orgName(), c.characterSet(), c.columnLength() + 4, c.type(), c.flags(),
                        Math.min(c.decimals() + 4, 30)));
            }
        }
        return columns;
    }
}
