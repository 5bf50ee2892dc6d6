package io.switchyard.admin.workflow;

import io.switchyard.replication.workflow.WorkflowStatus;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the import dashboard shows beside the tables (seed 003, "Monitor your import"): the external database and
 * whether the gateway can reach it now, the phase in words, the target's shards and which side serves traffic.
 *
 * @param connection {@code live}, {@code down: <why>}, or {@code removed} once a completed import deleted the
 *     external keyspace and its credentials
 * @param phase the phase as the seed names it: Pending, Copying data, Replicating data, Verifying data, ...
 * @param primaryTraffic {@code external} or {@code target}: where primary reads and writes go
 * @param replicaTraffic {@code external} or {@code target}: where {@code @replica} reads go
 */
public record ImportView(String workflow, String externalKeyspace, Optional<String> host, Optional<Integer> port,
                         Optional<String> database, String connection, String phase, String state,
                         String targetKeyspace, List<String> targetShards, String primaryTraffic,
                         String replicaTraffic, List<String> replicas) {

    public ImportView {
        targetShards = List.copyOf(targetShards);
        replicas = List.copyOf(replicas);
    }

    /** The seed's phase name for a workflow state (WorkflowStates' names). */
    static String phase(WorkflowStatus status) {
        return switch (status.state()) {
            case "pending" -> "Pending";
            case "copying" -> "Copying data";
            case "running" -> "Replicating data";
            case "verifying_data" -> "Verifying data";
            case "verified_data" -> "Verified data";
            case "verified_data_stale" -> "Verified data (over 24 h ago)";
            case "switched_replicas" -> "Switched replicas";
            case "switching_primaries" -> "Switching primaries";
            case "switched_primaries" -> "Switched primaries (replicating back to the external database)";
            case "reversing_traffic" -> "Reversing traffic";
            case "completed" -> "Completed";
            case "cancelled" -> "Cancelled";
            case "stopped" -> "Stopped";
            case "error" -> "Error";
            default -> status.state().substring(0, 1).toUpperCase(Locale.ROOT) + status.state().substring(1)
                    .replace('_', ' ');
        };
    }

    /** Which side serves primary traffic for the traffic state {@code source | replicas | primaries}. */
    static String primaryTraffic(String traffic) {
        return traffic.equals("primaries") ? "target" : "external";
    }

    /** Which side serves replica reads for the traffic state. */
    static String replicaTraffic(String traffic) {
        return traffic.equals("source") ? "external" : "target";
    }
}
