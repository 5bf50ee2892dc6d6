package io.switchyard.replication.workflow;

import io.switchyard.replication.apply.StreamPosition;

/**
 * The state a workflow shows (design.md's list), from its lifecycle, any switch in progress, its streams and its
 * verification: completed/cancelled first, then a switch under way, then trouble or copying in the streams, then where
 * traffic is served once switched, then a verification.
 */
final class WorkflowStates {
    static final String SWITCHING_PRIMARIES = "switching_primaries";
    static final String REVERSING_TRAFFIC = "reversing_traffic";
    static final String SWITCHED_REPLICAS = "switched_replicas";
    static final String SWITCHED_PRIMARIES = "switched_primaries";

    private WorkflowStates() {
    }

    /**
     * @param streams      the streams' own state (pending, copying, running, stopped, error)
     * @param verification verifying_data, verified_data, verified_data_stale, or empty for none
     */
    static String of(TrafficStore.Traffic traffic, String streams, String verification) {
        if (!traffic.lifecycle().equals(TrafficStore.ACTIVE)) {
            return traffic.lifecycle();
        }
        if (traffic.journal().isPresent()) {
            return traffic.journal().get().operation().equals(TrafficSwitch.REVERSE) ? REVERSING_TRAFFIC
                    : SWITCHING_PRIMARIES;
        }
        if (!streams.equals(StreamPosition.RUNNING)) {
            return streams;
        }
        return switch (traffic.traffic()) {
            case TrafficStore.REPLICAS -> SWITCHED_REPLICAS;
            case TrafficStore.PRIMARIES -> SWITCHED_PRIMARIES;
            default -> verification.isEmpty() ? StreamPosition.RUNNING : verification;
        };
    }
}
