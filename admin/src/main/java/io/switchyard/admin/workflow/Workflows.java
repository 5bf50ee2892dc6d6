package io.switchyard.admin.workflow;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.replication.apply.ApplyOptions;
import io.switchyard.replication.copy.CopyOptions;
import io.switchyard.replication.external.ExternalValidator;
import io.switchyard.replication.workflow.CreateCheck;
import io.switchyard.replication.workflow.LagHistory;
import io.switchyard.replication.workflow.MoveTablesSpec;
import io.switchyard.replication.workflow.MoveTablesWorkflow;
import io.switchyard.replication.verify.VerificationStore;
import io.switchyard.replication.workflow.SourceTables;
import io.switchyard.replication.workflow.SwitchOptions;
import io.switchyard.replication.workflow.TrafficGate;
import io.switchyard.replication.workflow.WorkflowDependencies;
import io.switchyard.replication.workflow.WorkflowLog;
import io.switchyard.replication.workflow.WorkflowStatus;
import io.switchyard.routing.topo.TopologyStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The workflows this gateway runs. Every operation runs on the workflow executor, never on an event loop: they talk
 * to the topology store and the shards. At start the gateway resumes every workflow the store knows (each from its
 * committed positions); at close it stops them as a crash would, so the next start resumes them again.
 */
public final class Workflows implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Workflows.class);

    private final SwitchyardConfig config;
    private final TopologyStore topology;
    private final ScheduledExecutorService executor;
    private final ExecutorService drivers;
    private final WorkflowDependencies deps;
    private final Map<String, MoveTablesWorkflow> running = new LinkedHashMap<>();
    private final WorkflowMetrics metrics;
    private final TrafficGate gate;
    private final ExternalServing externals;
    private final WorkflowCreateChecks createChecks;
    private final Set<String> creating = new HashSet<>(); // guarded by this
    private final Set<String> unresumable = new HashSet<>(); // guarded by this; warned about once
    private static final long SAMPLE_SECONDS = 5;
    /** The type SHOW WORKFLOWS gives imports. */
    public static final String IMPORT = "Import";

    public Workflows(SwitchyardConfig config, TopologyStore topology, Clock clock, WorkflowMetrics metrics,
                     TrafficGate gate, ExternalServing externals, ExternalValidator validator) {
        this.gate = gate;
        this.externals = externals;
        this.createChecks = new WorkflowCreateChecks(externals, new ImportChecks(externals, validator), topology);
        this.config = config;
        this.topology = topology;
        this.executor = Executors.newScheduledThreadPool(4, new DefaultThreadFactory("switchyard-workflow", true));
        this.metrics = metrics;
        executor.scheduleWithFixedDelay(this::sample, SAMPLE_SECONDS, SAMPLE_SECONDS, TimeUnit.SECONDS);
        // Binlog clients need server ids unique among the source's replicas; the sandbox and MySQL use small ones.
        AtomicLong serverIds = new AtomicLong(1_000_000L + new SecureRandom().nextInt(1_000_000) * 10L);
        // Drivers and verifications run for minutes to hours: a pool of their own, so that admin commands (on
        // executor) and other workflows never queue behind them.
        this.drivers = Executors.newCachedThreadPool(new DefaultThreadFactory("switchyard-workflow-driver", true));
        this.deps = new WorkflowDependencies(drivers, new DefaultThreadFactory("switchyard-stream", true), clock,
                serverIds::incrementAndGet, CopyOptions.DEFAULTS, ApplyOptions.DEFAULTS,
                // An idle stream commits its last group on a heartbeat: a short period keeps a traffic switch's wait
                // for the target (with the source's tables locked) short.
                Duration.ofMillis(250));
    }

    private void sample() {
        discover();
        List<MoveTablesWorkflow> all;
        synchronized (this) {
            all = new ArrayList<>(running.values());
        }
        for (MoveTablesWorkflow workflow : all) {
            try {
                workflow.resumeIfLeased(); // takes over the workflows of a gateway that died
                WorkflowStatus status = workflow.status();
                metrics.sample(status, workflow.rowsApplied());
                workflow.recordLag(status.lagSeconds());
            } catch (SQLException | RuntimeException e) {
                log.debug("sampling workflow {} for metrics failed: {}", workflow.spec().name(), e.getMessage());
            }
        }
    }

    /**
     * Resumes every workflow recorded in the topology store, in the background: those whose lease this gateway
     * gets run here, the others are listed and taken over if their gateway goes away.
     */
    public void resumeAll() {
        executor.execute(this::discover);
    }

    /** Registers (and resumes, lease permitting) the workflows in the store that this gateway does not know yet. */
    private void discover() {
        try {
            for (String name : MoveTablesWorkflow.names(config)) {
                synchronized (this) {
                    if (running.containsKey(name) || creating.contains(name)) {
                        continue;
                    }
                }
                try {
                    MoveTablesWorkflow workflow = MoveTablesWorkflow.resume(name, externals.config(), topology, deps);
                    synchronized (this) {
                        if (running.putIfAbsent(name, workflow) != null) {
                            workflow.close(); // created here meanwhile
                        }
                    }
                } catch (SQLException | RuntimeException e) {
                    // Discovery runs every few seconds: say it once (a completed import's external keyspace is
                    // gone for good), then only when debugging.
                    boolean first;
                    synchronized (this) {
                        first = unresumable.add(name);
                    }
                    if (first) {
                        log.warn("workflow {} could not be resumed: {}", name, e.getMessage());
                    } else {
                        log.debug("workflow {} could not be resumed: {}", name, e.getMessage());
                    }
                }
            }
        } catch (SQLException e) {
            log.warn("cannot list the workflows in the topology store: {}", e.getMessage());
        }
    }

    /**
     * Checks and creates a workflow (and starts it unless {@code auto_start = false}).
     *
     * @param importSyntax whether it was asked for as {@code IMPORT ... FROM EXTERNAL}
     * @param checkStorage false to create it even where a target shard seems short of disk space
     */
    public CompletableFuture<WorkflowStatus> create(MoveTablesSpec spec, boolean importSyntax, boolean checkStorage) {
        return call(() -> {
            synchronized (this) {
                if (running.containsKey(spec.name()) || !creating.add(spec.name())) {
                    throw new IllegalArgumentException("a workflow named '" + spec.name() + "' already exists");
                }
            }
            try {
                WorkflowCreateChecks.Decision decision = createChecks.check(spec, importSyntax, checkStorage);
                MoveTablesWorkflow workflow = MoveTablesWorkflow.create(decision.spec(), externals.config(), topology,
                        deps);
                synchronized (this) {
                    running.put(spec.name(), workflow);
                }
                decision.logLine().ifPresent(workflow::audit);
                if (spec.options().autoStart()) {
                    workflow.start();
                }
                return typed(workflow.status());
            } finally {
                synchronized (this) {
                    creating.remove(spec.name());
                }
            }
        });
    }

    /**
     * {@code VALIDATE WORKFLOW}: what {@link #create} would check, as rows, creating nothing (seed 003, "Workflow
     * validation": the import's validation and table selection, keyspaces and vschema, tables, storage).
     */
    public CompletableFuture<List<CreateCheck>> validate(MoveTablesSpec spec, boolean importSyntax) {
        return call(() -> createChecks.report(spec, importSyntax));
    }

    public CompletableFuture<List<WorkflowStatus>> list() {
        return call(() -> {
            List<MoveTablesWorkflow> all;
            synchronized (this) {
                all = new ArrayList<>(running.values());
            }
            List<WorkflowStatus> statuses = new ArrayList<>();
            for (MoveTablesWorkflow workflow : all) {
                statuses.add(typed(workflow.status()));
            }
            return statuses;
        });
    }

    public CompletableFuture<WorkflowStatus> status(String name) {
        return call(() -> typed(workflow(name).status()));
    }

    /** An import is a MoveTables workflow from an external keyspace; users know it as an import. */
    private WorkflowStatus typed(WorkflowStatus status) {
        return externals.isExternal(status.source()) ? status.withType(IMPORT) : status;
    }

    /** The lag graph's points, oldest first (seed 003, "Replication lag graph"). */
    public CompletableFuture<List<LagHistory.Point>> lagHistory(String name) {
        return call(() -> workflow(name).lagHistory());
    }

    /** The import dashboard's connection status, phase and serving side; refused for a workflow that is no import. */
    public CompletableFuture<ImportView> importView(String name) {
        return call(() -> externals.importView(typed(workflow(name).status())));
    }

    public CompletableFuture<WorkflowStatus> stop(String name) {
        return call(() -> {
            MoveTablesWorkflow workflow = workflow(name);
            workflow.stop();
            return workflow.status();
        });
    }

    public CompletableFuture<WorkflowStatus> start(String name) {
        return call(() -> {
            MoveTablesWorkflow workflow = workflow(name);
            workflow.start();
            return workflow.status();
        });
    }

    /**
     * Restarts a workflow in state error from its committed positions (a copy that failed is copied again).
     * Refused in any other state: START WORKFLOW continues a stopped one.
     */
    public CompletableFuture<WorkflowStatus> retry(String name) {
        return call(() -> {
            MoveTablesWorkflow workflow = workflow(name);
            String state = workflow.status().state();
            if (!state.equals("error")) {
                throw new IllegalArgumentException("workflow '" + name + "' is " + state + "; RETRY WORKFLOW"
                        + " restarts a workflow in state error" + (state.equals("stopped")
                        ? ", and START WORKFLOW continues a stopped one" : ""));
            }
            workflow.start();
            return workflow.status();
        });
    }

    public CompletableFuture<String> verify(String name) {
        return call(() -> workflow(name).verify());
    }

    public CompletableFuture<List<VerificationStore.TableVerification>> verification(String name) {
        return call(() -> workflow(name).verification());
    }

    public CompletableFuture<String> switchTraffic(String name, boolean replicasOnly, boolean dryRun,
                                                  SwitchOptions options) {
        return call(() -> workflow(name).switchTraffic(replicasOnly, dryRun, gate, options));
    }

    public CompletableFuture<String> reverseTraffic(String name, boolean dryRun, SwitchOptions options) {
        return call(() -> workflow(name).reverseTraffic(dryRun, gate, options));
    }

    public CompletableFuture<String> complete(String name, SourceTables sourceTables) {
        return call(() -> {
            MoveTablesWorkflow workflow = workflow(name);
            String source = workflow.spec().sourceKeyspace();
            if (!externals.isExternal(source)) {
                return workflow.complete(sourceTables);
            }
            // An import leaves the external database's tables alone, and forgets how to reach it.
            String done = workflow.complete(SourceTables.KEEP);
            workflow.close(); // its connections to the external database, and any client key file, go now
            externals.forget(source);
            return done + " The external keyspace " + source + " was removed with its credentials.";
        });
    }

    public CompletableFuture<String> cancel(String name, boolean keepData) {
        return call(() -> workflow(name).cancel(keepData));
    }

    /** Adds a line to a workflow's log, in the background; nothing if the workflow is unknown here. */
    public void audit(String name, String line) {
        executor.execute(() -> {
            MoveTablesWorkflow workflow;
            synchronized (this) {
                workflow = running.get(name);
            }
            if (workflow != null) {
                workflow.audit(line);
            }
        });
    }

    /** The latest {@code limit} log entries of a workflow, oldest first. */
    public CompletableFuture<List<WorkflowLog.Entry>> logs(String name, int limit) {
        return call(() -> workflow(name).logs(limit));
    }

    /** The spec of a running workflow, for listing its source and target. */
    public synchronized Optional<MoveTablesSpec> spec(String name) {
        return Optional.ofNullable(running.get(name)).map(MoveTablesWorkflow::spec);
    }

    private synchronized MoveTablesWorkflow workflow(String name) {
        MoveTablesWorkflow workflow = running.get(name);
        if (workflow == null) {
            throw new IllegalArgumentException("there is no workflow named '" + name + "'; SHOW WORKFLOWS lists them");
        }
        return workflow;
    }

    @FunctionalInterface
    private interface Task<T> {
        T run() throws Exception;
    }

    private <T> CompletableFuture<T> call(Task<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                result.complete(task.run());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    @Override
    public void close() {
        List<MoveTablesWorkflow> all;
        synchronized (this) {
            all = new ArrayList<>(running.values());
            running.clear();
        }
        all.forEach(MoveTablesWorkflow::close);
        executor.shutdownNow();
        drivers.shutdownNow();
    }
}
