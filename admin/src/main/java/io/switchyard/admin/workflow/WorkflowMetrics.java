package io.switchyard.admin.workflow;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.switchyard.replication.workflow.WorkflowStatus;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Workflow metrics for Prometheus, refreshed from each workflow's status by {@link Workflows}' sampler (a scrape
 * never waits for the shards): rows copied, row changes applied, lag, stream states, and stream errors.
 *
 * <p>Sampled by one thread; {@link #sample} is synchronized anyway so a slow sample never overlaps the next.
 */
public final class WorkflowMetrics {
    private static final List<String> STATES = List.of("copying", "running", "stopped", "error");

    private final Gauge rowsCopied;
    private final Counter rowsApplied;
    private final Gauge lag;
    private final Gauge streams;
    private final Counter errors;
    private final Map<String, Long> lastApplied = new HashMap<>();
    private final Map<String, Long> lastErrored = new HashMap<>();

    public WorkflowMetrics(PrometheusRegistry registry) {
        rowsCopied = Gauge.builder().name("switchyard_workflow_rows_copied")
                .help("Rows copied so far by the workflow's current or last copy").labelNames("workflow")
                .register(registry);
        rowsApplied = Counter.builder().name("switchyard_workflow_rows_applied_total")
                .help("Row changes replicated to the targets").labelNames("workflow").register(registry);
        lag = Gauge.builder().name("switchyard_workflow_lag_seconds")
                .help("Largest replication lag of the workflow's streams (source commit time vs now, skew"
                        + " corrected); -1 before any stream has applied or heard anything")
                .labelNames("workflow").register(registry);
        streams = Gauge.builder().name("switchyard_workflow_streams")
                .help("The workflow's streams by state").labelNames("workflow", "state").register(registry);
        errors = Counter.builder().name("switchyard_workflow_stream_errors_total")
                .help("Times a stream of the workflow entered state error").labelNames("workflow")
                .register(registry);
    }

    /**
     * Records one workflow's status.
     *
     * @param applied row changes applied since the workflow started in this gateway (restarts reset it)
     */
    public synchronized void sample(WorkflowStatus status, long applied) {
        String name = status.name();
        rowsCopied.labelValues(name).set(status.tables().stream().mapToLong(WorkflowStatus.TableStatus::rowsCopied)
                .sum());
        long previous = lastApplied.getOrDefault(name, 0L);
        rowsApplied.labelValues(name).inc(applied >= previous ? applied - previous : applied);
        lastApplied.put(name, applied);
        lag.labelValues(name).set(status.lagSeconds());
        for (String state : STATES) {
            streams.labelValues(name, state).set(status.streams().stream().filter(s -> s.state().equals(state))
                    .count());
        }
        long errored = status.streams().stream().filter(s -> s.state().equals("error")).count();
        long before = lastErrored.getOrDefault(name, 0L);
        if (errored > before) {
            errors.labelValues(name).inc(errored - before);
        }
        lastErrored.put(name, errored);
    }
}
