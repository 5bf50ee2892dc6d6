package io.switchyard.replication.workflow;

import io.switchyard.config.Keyspace;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.replication.apply.StreamPosition;
import io.switchyard.replication.copy.TargetSchema;
import io.switchyard.routing.topo.TopologyStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One MoveTables workflow: {@link #create} validates and records it, {@link #start} copies and replicates (see
 * {@link ShardPipeline} for the ordering argument), {@link #stop} stops it cleanly, {@link #resume} picks it up again
 * after a gateway restart from the topology store and {@code _switchyard} on the targets.
 *
 * <p>Thread-safe: lifecycle methods are serialised on the instance; {@link #status} reads the stores.
 */
/**
 * One MoveTables workflow: {@link #create} validates and records it, {@link #start} copies and replicates (see
 * {@link CopyPhase} for the ordering argument), {@link #stop} stops it cleanly, {@link #resume} picks it up again
 * after a gateway restart from the topology store and {@code _switchyard} on the targets. Its life after the copy —
 * verify, switch traffic, reverse, complete, cancel — is in {@link TrafficSwitch}, {@link WorkflowEnd} and
 * {@link WorkflowVerification}.
 *
 * <p>Two {@link Leg}s: forward (source to target) replicates until primary traffic switches, reverse (target back
 * to the source, streams named {@code <wf>_reverse}) after. One phase runs at a time, on the leg the traffic state
 * says.
 *
 * <p>Thread-safe: lifecycle methods are serialised on the instance; {@link #status} reads the stores.
 */
public final class MoveTablesWorkflow implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MoveTablesWorkflow.class);
    private static final long DRIVER_STOP_SECONDS = 60;
    private static final long ROUTING_POLL_GRACE_MILLIS = 300;

    private final MoveTablesSpec spec;
    private final SwitchyardConfig config;
    private final TopologyStore topology;
    private final WorkflowStore store;
    private final TrafficStore traffic;
    private final WorkflowDependencies deps;
    private final Keyspace source;
    private final Keyspace target;
    private final Servers servers = new Servers();
    private final Leg forward;
    private final Leg reverse;
    private final RuleEdits rules;
    private CopyPhase phase; // guarded by this; null while not started
    private Leg running; // guarded by this: the leg of phase
    private WorkflowLease lease; // guarded by this; null while another gateway may run the workflow
    private LagHistory lagHistory; // guarded by this; made on first use
    private Future<?> driver; // guarded by this
    private final WorkflowVerification verification;

    private MoveTablesWorkflow(MoveTablesSpec spec, SwitchyardConfig config, TopologyStore topology,
                               WorkflowStore store, WorkflowDependencies deps) throws SQLException {
        this.spec = spec;
        this.config = config;
        this.topology = topology;
        this.store = store;
        this.traffic = new TrafficStore(topologyStore(config));
        this.deps = deps;
        this.source = config.keyspace(spec.sourceKeyspace()).orElseThrow();
        this.target = config.keyspace(spec.targetKeyspace()).orElseThrow();
        this.forward = new Leg(spec, source, target, topology, servers);
        this.reverse = new Leg(new MoveTablesSpec(spec.name() + "_reverse", spec.targetKeyspace(),
                spec.sourceKeyspace(), spec.tables(), spec.options()), target, source, topology, servers);
        this.rules = new RuleEdits(topology, spec.tables(), source.name(), target.name());
        this.verification = new WorkflowVerification(this, topologyStore(config));
    }

    /**
     * Validates {@code spec} against the config and the source, refuses target tables that already exist (they would
     * be dropped on a recopy), and records the workflow in state pending. Call {@link #start} to run it.
     */
    public static MoveTablesWorkflow create(MoveTablesSpec spec, SwitchyardConfig config, TopologyStore topology,
                                            WorkflowDependencies deps) throws SQLException {
        WorkflowStore store = new WorkflowStore(topologyStore(config));
        MoveTablesSpec resolved;
        try (Servers checking = new Servers()) {
            resolved = CreateChecks.resolve(spec, config, topology, checking);
        }
        Keyspace source = config.keyspace(resolved.sourceKeyspace()).orElseThrow();
        Keyspace target = config.keyspace(resolved.targetKeyspace()).orElseThrow();
        store.create(resolved, deps.clock().instant());
        MoveTablesWorkflow workflow = new MoveTablesWorkflow(resolved, config, topology, store, deps);
        workflow.traffic.setTraffic(resolved.name(), TrafficStore.SOURCE);
        workflow.rules.routeAllTo(source.name()); // from now on, even before the first start (auto_start = false)
        workflow.log().info("created: MOVE TABLES " + String.join(", ", resolved.tables()) + " FROM " + source.name()
                + " TO " + target.name() + " " + resolved.options());
        return workflow;
    }

    /**
     * The checks {@code CREATE WORKFLOW} makes, as rows, without creating anything: keyspaces, vschema and tables,
     * and free space on every target shard.
     */
    public static List<CreateCheck> check(MoveTablesSpec spec, SwitchyardConfig config, TopologyStore topology)
            throws SQLException {
        try (Servers checking = new Servers()) {
            return CreateChecks.report(spec, config, topology, checking);
        }
    }

    /**
     * The workflow {@code name} as the topology store has it, started again (lease permitting) unless it was stopped
     * by request or has ended. Every stream continues from its committed position; tables not yet marked copied are
     * copied again; a traffic switch cut short by a crash is undone or finished first.
     */
    public static MoveTablesWorkflow resume(String name, SwitchyardConfig config, TopologyStore topology,
                                            WorkflowDependencies deps) throws SQLException {
        WorkflowStore store = new WorkflowStore(topologyStore(config));
        MoveTablesSpec spec = store.read(name).orElseThrow(() -> new IllegalArgumentException(
                "there is no workflow named '" + name + "' in the topology store"));
        MoveTablesWorkflow workflow = new MoveTablesWorkflow(spec, config, topology, store, deps);
        try {
            workflow.resumeIfLeased();
        } catch (SQLException | RuntimeException e) {
            workflow.close(); // nobody else holds it: its streams and key stores must not outlive this call
            throw e;
        }
        return workflow;
    }

    /** The names of the workflows recorded in the topology store, oldest first. */
    public static List<String> names(SwitchyardConfig config) throws SQLException {
        return new WorkflowStore(topologyStore(config)).names();
    }

    public MoveTablesSpec spec() {
        return spec;
    }

    /**
     * Copies what is not copied yet and replicates, on the leg the traffic state says, on the injected executor.
     * Also continues a stopped workflow and restarts one whose streams stopped or failed. Returns at once.
     *
     * @throws IllegalStateException if another gateway runs the workflow, or it has ended
     */
    public synchronized void start() throws SQLException {
        requireLease("run the command there (or stop that gateway: this one then takes the workflow over)");
        TrafficStore.Traffic now = traffic.read(spec.name());
        if (!now.lifecycle().equals(TrafficStore.ACTIVE)) {
            throw new IllegalStateException("workflow " + spec.name() + " is " + now.lifecycle()
                    + " and cannot run again; create a new workflow");
        }
        if (phase != null && !phase.idle()) {
            String state = streamState();
            if (!StreamPosition.ERROR.equals(state) && !StreamPosition.STOPPED.equals(state)) {
                return; // copying or replicating already
            }
        }
        // A phase that failed, stopped after its copy, or whose streams stopped (on_ddl STOP, an apply error):
        // close what is left of it and start over from the committed positions.
        halt(false);
        if (now.journal().isPresent()) {
            new TrafficSwitch(this).recover(now.journal().get());
            now = traffic.read(spec.name());
        }
        if (now.traffic().equals(TrafficStore.PRIMARIES)) {
            runLeg(reverse);
            return;
        }
        if (now.traffic().equals(TrafficStore.SOURCE)) {
            rules.routeAllTo(source.name());
            // Every gateway routes by the rules within its poll (250 ms): only then create the target tables, so no
            // client writes into a target table that the copy is about to drop and fill.
            try {
                Thread.sleep(ROUTING_POLL_GRACE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting workflow " + spec.name(), e);
            }
        }
        List<ForeignKeys.Reference> references = references();
        Set<String> linked = ForeignKeys.linkedTables(spec.tables(), references);
        for (String table : spec.tables()) {
            // The appliers need every moved table to exist on the targets, copied or not (IF NOT EXISTS: a no-op
            // for tables already there).
            TargetSchema.createLike(forward.sourceData(source.shards().get(0)), source.database(),
                    forward.targetShards(false), table, spec.deferSecondaryKeys() && !linked.contains(table));
        }
        if (!spec.options().globalKeyspace().isEmpty()) {
            GlobalSequences.create(spec, config, topology, forward.sourceData(source.shards().get(0)), servers);
        }
        runLeg(forward);
        log().info("started");
        LOG.info("workflow {} started: {} from {} to {}", spec.name(), spec.tables(), source.name(), target.name());
    }

    /** Runs {@code leg}'s phase: copy what it has not copied, then replicate. */
    synchronized void runLeg(Leg leg) throws SQLException {
        halt(false);
        List<ForeignKeys.Reference> references = references();
        List<List<String>> units = ForeignKeys.units(spec.name(), source.database(), spec.tables(), references);
        store.setState(spec.name(), StreamPosition.COPYING, "", deps.clock().instant());
        phase = new CopyPhase(leg.spec(), leg.pipelines(deps, log()), units,
                ForeignKeys.linkedTables(spec.tables(), references), store, deps, log(), () -> copied());
        running = leg;
        driver = deps.executor().submit(phase);
    }

    private void copied() {
        try {
            traffic.copied(spec.name(), deps.clock().instant());
        } catch (SQLException e) {
            LOG.warn("workflow {}: recording the end of the copy failed: {}", spec.name(), e.getMessage());
        }
    }

    private List<ForeignKeys.Reference> references() throws SQLException {
        try (Connection connection = forward.sourceData(source.shards().get(0)).open()) {
            return ForeignKeys.read(connection, source.database());
        }
    }

    /**
     * Starts the workflow if this gateway can take its lease and it was not stopped by request or ended; otherwise
     * does nothing. The gateway calls it at start and then periodically, to take over workflows of a gateway that
     * died. Also halts the workflow if this gateway lost its lease.
     *
     * @return whether this gateway runs the workflow now
     */
    public synchronized boolean resumeIfLeased() throws SQLException {
        if (lease != null && !lease.held()) {
            LOG.warn("workflow {}: lost its lease in the topology store; halting it here", spec.name());
            close();
        }
        if (phase != null) {
            return true;
        }
        TrafficStore.Traffic now = traffic.read(spec.name());
        if (!now.lifecycle().equals(TrafficStore.ACTIVE)) {
            if (lease != null) {
                lease.close(); // a completed or cancelled workflow runs nowhere: keep no connection for it
                lease = null;
            }
            return false;
        }
        if (!lease()) {
            return false;
        }
        String streams = streamState();
        boolean neverStarted = StreamPosition.PENDING.equals(streams) && !spec.options().autoStart();
        if (!neverStarted && (now.journal().isPresent()
                || !StreamPosition.STOPPED.equals(streams))) {
            start();
            verification.resumeIfUnfinished();
            return true;
        }
        return false;
    }

    private boolean lease() throws SQLException {
        if (lease == null) {
            lease = WorkflowLease.tryAcquire(topologyStore(config), spec.name()).orElse(null);
        }
        return lease != null;
    }

    synchronized void requireLease(String advice) throws SQLException {
        if (!lease()) {
            throw new IllegalStateException("workflow " + spec.name() + " runs in another gateway, which holds its"
                    + " lease in the topology store; " + advice);
        }
    }

    /** Stops every stream after committing what it applied; state stopped. {@link #start} continues it. */
    public synchronized void stop() throws SQLException {
        requireLease("stop it there");
        Leg leg = activeLeg();
        halt(true);
        leg.setStates(StreamPosition.STOPPED, "stopped by request", deps.clock().instant());
        store.setState(spec.name(), StreamPosition.STOPPED, "stopped by request", deps.clock().instant());
        log().info("stopped by request");
    }

    /**
     * Stops the streams without committing or recording anything, as if the gateway died: what is durable is exactly
     * what a crash would leave, and {@link #resume} continues from it.
     */
    @Override
    public synchronized void close() {
        verification.cancel();
        halt(false);
        if (lease != null) {
            lease.close();
            lease = null;
        }
        servers.close();
    }

    public WorkflowStatus status() throws SQLException {
        CopyPhase live;
        synchronized (this) {
            live = running == forward ? phase : null;
        }
        return StatusReader.read(this, live, verification.state());
    }

    /** The streams' state alone: pending, copying, running, stopped or error. */
    private String streamState() throws SQLException {
        return StreamRows.workflowState(activeLeg().streams(deps.clock()));
    }

    private Leg activeLeg() throws SQLException {
        return traffic.read(spec.name()).traffic().equals(TrafficStore.PRIMARIES) ? reverse : forward;
    }

    /**
     * Row changes applied by the streams since the workflow last started in this gateway; restarts begin again at 0
     * (a Prometheus counter reset).
     */
    public synchronized long rowsApplied() {
        return phase == null ? 0 : phase.rowsApplied();
    }

    /** The latest {@code limit} entries of the workflow's log, oldest first. */
    public List<WorkflowLog.Entry> logs(int limit) throws SQLException {
        return log().read(limit);
    }

    /** Records an operator's command in the workflow's log (who ran what; the entry's time says when). */
    public void audit(String line) {
        log().info(line);
    }

    /**
     * Adds the current lag to the workflow's lag history, if this gateway runs the workflow (the others would only
     * repeat its samples).
     */
    public void recordLag(long lagSeconds) {
        LagHistory history;
        synchronized (this) {
            if (phase == null) {
                return;
            }
            history = lagStore();
        }
        history.record(lagSeconds);
    }

    /** The lag history for the dashboard's graph, oldest first. */
    public List<LagHistory.Point> lagHistory() throws SQLException {
        LagHistory history;
        synchronized (this) {
            history = lagStore();
        }
        return history.read();
    }

    /** Kept rather than made per call: it remembers when it last pruned. Under this lock. */
    private LagHistory lagStore() {
        if (lagHistory == null) {
            lagHistory = new LagHistory(spec.name(), forward.targetShards(false).get(0), deps.clock());
        }
        return lagHistory;
    }

    WorkflowLog log() {
        return new WorkflowLog(spec.name(), forward.targetShards(false).get(0), deps.clock());
    }

    // The lifecycle after the copy.

    /**
     * {@code SWITCH TRAFFIC}: replica reads only, or primaries too (switching replicas first if they have not been).
     *
     * @return what was done, or with {@code dryRun} what would be done and the checks' results
     */
    public String switchTraffic(boolean replicasOnly, boolean dryRun, TrafficGate gate, SwitchOptions options)
            throws Exception {
        return new TrafficSwitch(this).switchTraffic(replicasOnly, dryRun, gate, options);
    }

    /** {@code REVERSE TRAFFIC}: primaries and replicas back to the source, replication forward again. */
    public String reverseTraffic(boolean dryRun, TrafficGate gate, SwitchOptions options) throws Exception {
        return new TrafficSwitch(this).reverseTraffic(dryRun, gate, options);
    }

    /** {@code COMPLETE WORKFLOW}: irreversible; see {@link WorkflowEnd#complete}. */
    public String complete(SourceTables sourceTables) throws SQLException {
        return new WorkflowEnd(this).complete(sourceTables);
    }

    /** {@code CANCEL WORKFLOW}; see {@link WorkflowEnd#cancel}. */
    public String cancel(boolean keepData) throws SQLException {
        return new WorkflowEnd(this).cancel(keepData);
    }

    /** {@code VERIFY WORKFLOW}: starts comparing source and target table by table, in the background. */
    public String verify() throws SQLException {
        return verification.start();
    }

    /** Each table's latest verification. */
    public List<io.switchyard.replication.verify.VerificationStore.TableVerification> verification()
            throws SQLException {
        return verification.results();
    }

    // For the lifecycle classes.

    SwitchyardConfig config() {
        return config;
    }

    WorkflowDependencies deps() {
        return deps;
    }

    WorkflowStore store() {
        return store;
    }

    TrafficStore traffic() {
        return traffic;
    }

    WorkflowVerification verifications() {
        return verification;
    }

    RuleEdits rules() {
        return rules;
    }

    Leg forward() {
        return forward;
    }

    Servers servers() {
        return servers;
    }

    Leg reverse() {
        return reverse;
    }

    /** Stops the running phase; clean commits what the appliers hold. */
    synchronized void halt(boolean clean) {
        if (phase == null) {
            return;
        }
        phase.halt(clean);
        try {
            // A copy in progress stops after its current batch; waiting keeps a resumed instance from copying the
            // same table alongside it.
            driver.get(DRIVER_STOP_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("workflow {}: copy driver did not end cleanly: {}", spec.name(), e.toString());
        }
        phase.halt(clean); // streams the driver started while it was being halted
        phase = null;
        running = null;
        driver = null;
    }

    static io.switchyard.replication.copy.SqlConnector topologyStore(SwitchyardConfig config) {
        return Servers.topology(config.topology());
    }
}
