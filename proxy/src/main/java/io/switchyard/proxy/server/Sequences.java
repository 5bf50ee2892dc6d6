package io.switchyard.proxy.server;

import io.netty.channel.EventLoop;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.proxy.backend.BackendConnection;
import io.switchyard.proxy.backend.Backends;
import io.switchyard.proxy.backend.ClientOptions;
import io.switchyard.proxy.codec.Capabilities;
import io.switchyard.proxy.codec.Collations;
import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.session.TabletType;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Auto-increment ids for sharded tables from Vitess-style sequence tables ({@code id, next_id, cache}, one row with
 * id 0) in an unsharded keyspace. Ids are reserved from the table in blocks of {@code cache} (or more, for a large
 * INSERT) in one transaction, then handed out from memory; a gateway restart skips the rest of its block, as
 * Vitess does — ids stay unique, not gapless.
 *
 * <p>Thread-safe: sessions on every event loop call {@link #reserve}; reservations of one sequence are chained so
 * that two sessions never read the same block.
 */
final class Sequences {
    private static final long CAPABILITIES = Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_TRANSACTIONS;

    private final SwitchyardConfig config;
    private final Backends backends;
    private final EventLoop loop;
    private final Map<String, Block> blocks = new HashMap<>();
    private final Map<String, CompletableFuture<?>> tails = new HashMap<>();

    Sequences(SwitchyardConfig config, Backends backends, EventLoop loop) {
        this.config = config;
        this.backends = backends;
        this.loop = loop;
    }

    /** The first of {@code count} consecutive new ids of {@code keyspace.table}. */
    synchronized CompletableFuture<Long> reserve(String keyspace, String table, int count) {
        String name = keyspace + "." + table;
        CompletableFuture<?> tail = tails.getOrDefault(name, CompletableFuture.completedFuture(null));
        CompletableFuture<Long> next = tail.handle((ignored, error) -> null)
                .thenCompose(ignored -> take(name, keyspace, table, count));
        tails.put(name, next);
        return next;
    }

    private CompletableFuture<Long> take(String name, String keyspace, String table, int count) {
        synchronized (this) {
            Block block = blocks.get(name);
            if (block != null && block.limit - block.next >= count) {
                long first = block.next;
                block.next += count;
                return CompletableFuture.completedFuture(first);
            }
        }
        String shard = config.keyspace(keyspace).orElseThrow(() -> MySqlError.ER_BAD_DB_ERROR.exception(keyspace))
                .shards().get(0).name();
        return backends.acquire(keyspace, shard, TabletType.PRIMARY,
                ClientOptions.of(CAPABILITIES, Collations.UTF8MB4_GENERAL_CI), loop)
                .thenCompose(lease -> fetch(lease.connection(), table, count)
                        .whenComplete((ok, error) -> backends.release(lease)))
                .thenApply(range -> {
                    synchronized (this) {
                        blocks.put(name, new Block(range[0] + count, range[1]));
                    }
                    return range[0];
                });
    }

    /** Reserves a block in one transaction; returns {first, limit}. */
    private static CompletableFuture<long[]> fetch(BackendConnection connection, String table, int count) {
        String quoted = "`" + table.replace("`", "``") + "`";
        long[] range = new long[2];
        return connection.query("BEGIN")
                .thenCompose(ok -> connection.query("SELECT next_id, cache FROM " + quoted + " WHERE id = 0 FOR UPDATE"))
                .thenCompose(result -> {
                    if (result.rows().isEmpty()) {
                        throw MySqlError.ER_UNKNOWN_ERROR.exception("sequence table " + table + " has no row with"
                                + " id 0; insert one: INSERT INTO " + table + " (id, next_id, cache) VALUES (0, 1, 1000)");
                    }
                    long next = Long.parseLong(result.rows().get(0).get(0));
                    long cache = Math.max(1, Long.parseLong(result.rows().get(0).get(1)));
                    range[0] = next;
                    range[1] = next + Math.max(cache, count);
                    return connection.query("UPDATE " + quoted + " SET next_id = " + range[1] + " WHERE id = 0");
                })
                .thenCompose(ok -> connection.query("COMMIT"))
                .thenApply(ok -> range)
                .whenComplete((ok, error) -> {
                    if (error != null && connection.isOpen()) {
                        connection.query("ROLLBACK");
                    }
                });
    }

    private static final class Block {
        long next;
        final long limit;

        Block(long next, long limit) {
            this.next = next;
            this.limit = limit;
        }
    }
}
