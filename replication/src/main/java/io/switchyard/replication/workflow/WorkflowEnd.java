package io.switchyard.replication.workflow;

import io.switchyard.config.Keyspace;
import io.switchyard.config.Shard;
import io.switchyard.replication.copy.TargetShard;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The two ends of a workflow: {@code COMPLETE} after primary traffic switched (irreversible: the source tables go),
 * {@code CANCEL} before it (the target tables go, traffic stays on the source). Both stop every stream, remove the
 * workflow's stream state and keep the workflow in the store as history.
 */
final class WorkflowEnd {
    private final MoveTablesWorkflow workflow;
    private final String name;

    WorkflowEnd(MoveTablesWorkflow workflow) {
        this.workflow = workflow;
        this.name = workflow.spec().name();
    }

    String complete(SourceTables sourceTables) throws SQLException {
        synchronized (workflow) {
            workflow.requireLease("complete it there");
            TrafficStore.Traffic now = active("COMPLETE WORKFLOW");
            if (!now.traffic().equals(TrafficStore.PRIMARIES)) {
                throw new IllegalStateException("workflow " + name + " has not switched primary traffic (traffic: "
                        + now.traffic() + "); COMPLETE WORKFLOW runs after SWITCH TRAFFIC, and CANCEL WORKFLOW"
                        + " abandons a workflow before it");
            }
            workflow.halt(true);
            workflow.reverse().deleteStreams();
            workflow.forward().deleteStreams();
            Keyspace source = workflow.forward().from();
            for (Shard shard : source.shards()) {
                try (Connection connection = workflow.forward().sourceData(shard).open();
                     Statement statement = connection.createStatement()) {
                    statement.execute("SET SESSION foreign_key_checks = 0"); // moved tables may reference each other
                    for (String table : workflow.spec().tables()) {
                        String quoted = quote(source.database()) + "." + quote(table);
                        switch (sourceTables) {
                            case DROP -> statement.execute("DROP TABLE IF EXISTS " + quoted);
                            case RENAME -> statement.execute("RENAME TABLE " + quoted + " TO "
                                    + quote(source.database()) + "." + quote("_" + table + "_old"));
                            case KEEP -> { }
                        }
                    }
                }
            }
            if (sourceTables == SourceTables.KEEP) {
                workflow.rules().routeAllTo(workflow.spec().targetKeyspace()); // the names stay unambiguous
            } else {
                workflow.rules().remove();
            }
            workflow.traffic().setLifecycle(name, TrafficStore.COMPLETED, workflow.deps().clock().instant());
            String what = switch (sourceTables) {
                case DROP -> "dropped the source tables";
                case RENAME -> "renamed the source tables to _<table>_old";
                case KEEP -> "kept the source tables (routing rules keep sending every query to "
                        + workflow.spec().targetKeyspace() + ")";
            };
            workflow.log().info("completed: " + what);
            return "workflow " + name + " completed: reverse replication stopped, " + what + "; "
                    + workflow.spec().tables() + " now live in " + workflow.spec().targetKeyspace()
                    + ". This cannot be undone.";
        }
    }

    String cancel(boolean keepData) throws SQLException {
        synchronized (workflow) {
            workflow.requireLease("cancel it there");
            TrafficStore.Traffic now = active("CANCEL WORKFLOW");
            if (now.traffic().equals(TrafficStore.PRIMARIES)) {
                throw new IllegalStateException("workflow " + name + " has switched primary traffic; REVERSE TRAFFIC"
                        + " first, then CANCEL WORKFLOW (or COMPLETE WORKFLOW to keep the move)");
            }
            if (now.traffic().equals(TrafficStore.REPLICAS)) {
                workflow.rules().routeReplicasTo(workflow.spec().sourceKeyspace());
            }
            workflow.halt(true);
            workflow.forward().deleteStreams();
            workflow.store().unmarkCopied(name, workflow.spec().tables());
            if (!keepData) {
                for (TargetShard target : workflow.forward().targetShards(false)) {
                    try (Connection connection = target.connector().open();
                         Statement statement = connection.createStatement()) {
                        statement.execute("SET SESSION foreign_key_checks = 0");
                        for (String table : workflow.spec().tables()) {
                            statement.execute("DROP TABLE IF EXISTS " + quote(target.database()) + "." + quote(table));
                        }
                    }
                }
            }
            workflow.rules().remove();
            workflow.traffic().setTraffic(name, TrafficStore.SOURCE);
            workflow.traffic().setLifecycle(name, TrafficStore.CANCELLED, workflow.deps().clock().instant());
            String what = keepData ? "kept the target tables" : "dropped the target tables";
            workflow.log().info("cancelled: " + what);
            return "workflow " + name + " cancelled: streams stopped, " + what + ", routing rules removed; "
                    + workflow.spec().tables() + " stay in " + workflow.spec().sourceKeyspace() + ".";
        }
    }

    private TrafficStore.Traffic active(String command) throws SQLException {
        TrafficStore.Traffic now = workflow.traffic().read(name);
        if (!now.lifecycle().equals(TrafficStore.ACTIVE)) {
            throw new IllegalStateException("workflow " + name + " is " + now.lifecycle() + " already; " + command
                    + " applies to active workflows");
        }
        if (now.journal().isPresent()) {
            throw new IllegalStateException("workflow " + name + " is in the middle of a traffic switch; wait for it"
                    + " to finish");
        }
        return now;
    }

    private static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
