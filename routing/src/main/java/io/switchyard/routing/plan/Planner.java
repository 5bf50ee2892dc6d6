package io.switchyard.routing.plan;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.switchyard.routing.plan.Normalizer.NormalizedSql;
import io.switchyard.routing.vindex.Vindex;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.StringProvider;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.upsert.Upsert;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans statements against a {@link RoutingSnapshot}. Thread-safe: sessions on any event loop call {@link #plan}
 * concurrently; nothing here blocks or does I/O.
 *
 * <p>A statement is first normalized ({@link Normalizer}): literals in value positions and {@code ?} placeholders
 * become bind variables, and the result is the key of a bounded Caffeine cache together with the session keyspace,
 * tablet type and snapshot version. A miss parses the statement with JSqlParser and compiles a {@link Template}; a
 * hit binds the cached template to this statement's values, which costs a lexer pass and some string building.
 * Every failure becomes {@link Plan.Refused}: the planner never throws for bad or unroutable SQL.
 */
public final class Planner {

    private static final Logger LOG = LoggerFactory.getLogger(Planner.class);

    /** Plans kept by default: one per distinct normalized statement, keyspace and tablet type. */
    public static final long DEFAULT_CACHE_SIZE = 10_000;

    private record CacheKey(String sql, Optional<String> keyspace, TabletType tabletType, long version) {
    }

    /** Plan-cache counters for metrics. */
    public record CacheStats(long hits, long misses, long size) {

        public double hitRate() {
            long requests = hits + misses;
            return requests == 0 ? 1.0 : (double) hits / requests;
        }
    }

    private final Cache<CacheKey, Template> cache;
    private final Map<String, Vindex> vindexes;
    private volatile RoutingSnapshot snapshot;

    public Planner(RoutingSnapshot snapshot) {
        this(snapshot, DEFAULT_CACHE_SIZE);
    }

    public Planner(RoutingSnapshot snapshot, long maximumCachedPlans) {
        if (maximumCachedPlans < 1) {
            throw new IllegalArgumentException("maximumCachedPlans was " + maximumCachedPlans + "; it must be >= 1");
        }
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
        // Maintenance (eviction) runs on the calling thread: it is cheap and amortized, and keeps the planner from
        // using ForkJoinPool.commonPool() behind the gateway's back.
        this.cache = Caffeine.newBuilder().maximumSize(maximumCachedPlans).executor(Runnable::run).recordStats()
                .build();
        this.vindexes = Map.of("hash", Vindex.of("hash"), "xxhash", Vindex.of("xxhash"));
    }

    public RoutingSnapshot snapshot() {
        return snapshot;
    }

    /**
     * Swaps in a newer snapshot (new routing rules, an applied ALTER VSCHEMA). Statements planned from now on, and
     * prepared statements bound from now on, use it.
     *
     * @throws IllegalArgumentException if {@code next} is not newer than the current snapshot
     */
    public synchronized void update(RoutingSnapshot next) {
        Objects.requireNonNull(next, "next");
        if (next.version() <= snapshot.version()) {
            throw new IllegalArgumentException("snapshot version " + next.version() + " is not newer than the current "
                    + snapshot.version());
        }
        snapshot = next;
        cache.invalidateAll(); // entries of older versions can never be hit again
    }

    public CacheStats cacheStats() {
        var stats = cache.stats();
        return new CacheStats(stats.hitCount(), stats.missCount(), cache.estimatedSize());
    }

    /**
     * Plans one statement.
     *
     * @param sql the statement text as the client sent it
     * @param sessionKeyspace the session's keyspace ({@code USE ks}), if any
     * @param tabletType the tablet type the session targets
     * @return never {@code null}; {@link Plan.Prepared} if the statement has {@code ?} placeholders
     */
    public Plan plan(String sql, Optional<String> sessionKeyspace, TabletType tabletType) {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(sessionKeyspace, "sessionKeyspace");
        Objects.requireNonNull(tabletType, "tabletType");
        NormalizedSql normalized = Normalizer.normalize(sql);
        if (normalized.foreignMarker() != null) {
            return RoutingException.syntax("You have an error in your SQL syntax near '"
                    + normalized.foreignMarker() + "'").toPlan();
        }
        switch (normalized.kind()) {
            case SET, USE, TRANSACTION, LOCK:
                return new Plan.Session(normalized.kind(), sql);
            default:
                break;
        }
        Template template = template(normalized, sessionKeyspace, tabletType);
        if (normalized.parameters().isEmpty() || template instanceof Template.Refusing) {
            return bind(template, normalized.values(), sql);
        }
        List<Integer> routing = new ArrayList<>();
        for (int bind : template.routingBinds()) {
            int parameter = normalized.parameters().indexOf(bind);
            if (parameter >= 0) {
                routing.add(parameter);
            }
        }
        Function<List<?>, Plan> binder = parameters -> bindParameters(normalized, sessionKeyspace, tabletType,
                parameters);
        return new Plan.Prepared(normalized.kind(), normalized.parameters().size(), routing, binder);
    }

    private Plan bindParameters(NormalizedSql normalized, Optional<String> keyspace, TabletType tabletType,
                                List<?> parameters) {
        List<BoundValue> values = new ArrayList<>(normalized.values());
        for (int i = 0; i < parameters.size(); i++) {
            try {
                values.set(normalized.parameters().get(i), SqlLiterals.parameter(parameters.get(i)));
            } catch (IllegalArgumentException e) {
                return new Plan.Refused(1210, "HY000", "Incorrect arguments to mysqld_stmt_execute: parameter "
                        + (i + 1) + ": " + e.getMessage());
            }
        }
        // Looked up again, not captured at prepare time: the snapshot may have changed since.
        return bind(template(normalized, keyspace, tabletType), values, normalized.text());
    }

    private Template template(NormalizedSql normalized, Optional<String> keyspace, TabletType tabletType) {
        RoutingSnapshot current = snapshot;
        CacheKey key = new CacheKey(normalized.text(), keyspace, tabletType, current.version());
        return cache.get(key, k -> compile(normalized, new PlanContext(normalized.text(), normalized.kind(),
                new TableResolver(current, keyspace, tabletType), vindexes)));
    }

    private static Plan bind(Template template, List<BoundValue> values, String sql) {
        try {
            return template.bind(values);
        } catch (RoutingException e) {
            return new Template.Refusing(e.toPlan()).bind(values);
        } catch (RuntimeException e) {
            return internalError(sql, e);
        }
    }

    /** A failure the planner's code did not expect: refuse the statement rather than fail the session. */
    private static Plan.Refused internalError(String what, RuntimeException e) {
        LOG.warn("could not plan statement {}", what, e);
        return new Plan.Refused(RoutingException.UNKNOWN_ERROR, "HY000", "the gateway could not plan this statement ("
                + e + "); please report it with the statement");
    }

    /** Compiles a template; every problem becomes a fixed refusal, so it is cached like any other plan. */
    private static Template compile(NormalizedSql normalized, PlanContext context) {
        String sql = normalized.text();
        try {
            List<SqlLexer.Token> significant = SqlLexer.significant(sql);
            if (significant.isEmpty()) {
                throw RoutingException.syntax("Query was empty");
            }
            if (VSchemaParser.isAlterVSchema(sql, significant)) {
                VSchemaChange change = VSchemaParser.parse(sql, context.resolver.sessionKeyspace()
                        .map(KeyspaceSchema::name));
                context.resolver.snapshot().apply(change); // validates; the admin layer applies it for real
                return new Template.Fixed(new Plan.AlterVSchema(change));
            }
            switch (normalized.kind()) {
                case DDL:
                    return DdlPlanner.compile(sql, context);
                case SELECT:
                case INSERT:
                case UPDATE:
                case DELETE:
                    return compileDml(context);
                default:
                    return context.resolver.sessionKeyspace().isPresent() ? context.anyShard(context.original())
                            : new Template.Fixed(new Plan.Session(normalized.kind(), sql));
            }
        } catch (RoutingException e) {
            return new Template.Refusing(e.toPlan());
        } catch (RuntimeException e) {
            return new Template.Refusing(internalError(sql, e));
        }
    }

    private static Template compileDml(PlanContext context) {
        Statement statement;
        try {
            statement = new CCJSqlParser(new StringProvider(context.markedSql)).Statement();
        } catch (Exception e) {
            return Unparsed.plan(context, e);
        }
        if (statement instanceof Select select) {
            return QueryPlanner.compile(select, context);
        }
        if (statement instanceof Insert || statement instanceof Upsert) {
            return InsertPlanner.compile(statement, context);
        }
        if (statement instanceof Update || statement instanceof Delete) {
            return DmlPlanner.compile(statement, context);
        }
        throw RoutingException.unsupported("statement " + statement.getClass().getSimpleName());
    }
}
