package io.switchyard.proxy.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The gateway's Prometheus metrics, registered in a registry the caller owns (no global default registry, so tests
 * and several gateways in one JVM never see each other's numbers).
 */
public final class GatewayMetrics {
    private final Gauge clientConnections;
    private final Counter clientConnectionsTotal;
    private final Counter queries;
    private final Histogram queryDuration;
    private final Counter errors;
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Gauge poolSize;
    private final Gauge poolInUse;
    private final Counter poolWaits;
    private final Gauge bufferHolds;
    private final Gauge bufferHeld;
    private final Counter bufferHeldTotal;
    private final Histogram bufferWait;
    private final Gauge bufferLongestWait;
    private final Counter bufferOverflows;

    public GatewayMetrics(PrometheusRegistry registry) {
        // Not "switchyard_client_connections": Prometheus strips a counter's _total suffix, so the counter below
        // would take that name too and registration would fail.
        clientConnections = Gauge.builder().name("switchyard_client_connections_open")
                .help("Client connections open now").register(registry);
        clientConnectionsTotal = Counter.builder().name("switchyard_client_connections_total")
                .help("Client connections accepted").register(registry);
        queries = Counter.builder().name("switchyard_queries_total")
                .help("Statements executed, by keyspace, tablet type and statement kind")
                .labelNames("keyspace", "tablet_type", "kind").register(registry);
        queryDuration = Histogram.builder().name("switchyard_query_duration_seconds")
                .help("Time from a statement's arrival to the end of its response")
                .labelNames("keyspace", "tablet_type").classicOnly()
                .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .register(registry);
        errors = Counter.builder().name("switchyard_errors_total")
                .help("Errors returned to clients, by MySQL error code").labelNames("code").register(registry);
        bytesIn = Counter.builder().name("switchyard_client_bytes_received_total")
                .help("Bytes received from clients").register(registry);
        bytesOut = Counter.builder().name("switchyard_client_bytes_sent_total")
                .help("Bytes sent to clients").register(registry);
        poolSize = Gauge.builder().name("switchyard_backend_pool_connections")
                .help("Backend connections open, by pool").labelNames("keyspace", "shard", "tablet_type", "endpoint")
                .register(registry);
        poolInUse = Gauge.builder().name("switchyard_backend_pool_in_use")
                .help("Backend connections lent to sessions, by pool")
                .labelNames("keyspace", "shard", "tablet_type", "endpoint").register(registry);
        poolWaits = Counter.builder().name("switchyard_backend_pool_waits_total")
                .help("Times a session waited for a backend connection because the pool was at its maximum")
                .labelNames("keyspace", "shard", "tablet_type", "endpoint").register(registry);
        bufferHolds = Gauge.builder().name("switchyard_buffer_holds")
                .help("Traffic holds in force now (tables whose traffic is being switched)").register(registry);
        bufferHeld = Gauge.builder().name("switchyard_buffer_held_statements")
                .help("Statements waiting in the query buffer now").register(registry);
        bufferHeldTotal = Counter.builder().name("switchyard_buffer_statements_total")
                .help("Statements that waited in the query buffer during a traffic switch").register(registry);
        bufferWait = Histogram.builder().name("switchyard_buffer_hold_duration_seconds")
                .help("How long each buffered statement waited").classicOnly()
                .classicUpperBounds(0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30).register(registry);
        bufferLongestWait = Gauge.builder().name("switchyard_buffer_max_hold_seconds")
                .help("The longest any statement waited in the most recent traffic hold").register(registry);
        bufferOverflows = Counter.builder().name("switchyard_buffer_overflows_total")
                .help("Statements refused (error 1317) because a traffic hold was full").register(registry);
    }

    public void clientConnected() {
        clientConnections.inc();
        clientConnectionsTotal.inc();
    }

    public void clientDisconnected() {
        clientConnections.dec();
    }

    public void query(String keyspace, String tabletType, String kind, long nanos) {
        queries.labelValues(keyspace, tabletType, kind).inc();
        queryDuration.labelValues(keyspace, tabletType).observe(nanos / 1e9);
    }

    public void error(int code) {
        errors.labelValues(Integer.toString(code)).inc();
    }

    public void bytesIn(long n) {
        bytesIn.inc(n);
    }

    public void bytesOut(long n) {
        bytesOut.inc(n);
    }

    public void bufferHolds(int active) {
        bufferHolds.set(active);
    }

    /** A statement started waiting in the query buffer. */
    public void bufferHeld() {
        bufferHeld.inc();
        bufferHeldTotal.inc();
    }

    /** A statement stopped waiting (released, or its session closed) after {@code nanos}. */
    public void bufferReleased(long nanos) {
        bufferHeld.dec();
        bufferWait.observe(nanos / 1e9);
    }

    /** A traffic hold ended; the longest any of its statements waited. */
    public void bufferLongestHold(long nanos) {
        bufferLongestWait.set(nanos / 1e9);
    }

    public void bufferOverflow() {
        bufferOverflows.inc();
    }

    /** The gauges of one backend pool; the pool calls these as connections open, close, lend and return. */
    public PoolGauges pool(String keyspace, String shard, String tabletType, String endpoint) {
        return new PoolGauges(poolSize.labelValues(keyspace, shard, tabletType, endpoint),
                poolInUse.labelValues(keyspace, shard, tabletType, endpoint),
                poolWaits.labelValues(keyspace, shard, tabletType, endpoint));
    }

    /** Handles to one pool's series. */
    public record PoolGauges(io.prometheus.metrics.core.datapoints.GaugeDataPoint size,
                             io.prometheus.metrics.core.datapoints.GaugeDataPoint inUse,
                             io.prometheus.metrics.core.datapoints.CounterDataPoint waits) {
    }
}
