package io.switchyard.admin.workflow;

import io.switchyard.replication.workflow.WorkflowStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ImportViewTest {
    @Test
    void phasesAreTheSeedsNames() {
        assertEquals("Copying data", ImportView.phase(status("copying")));
        assertEquals("Replicating data", ImportView.phase(status("running")));
        assertEquals("Switched replicas", ImportView.phase(status("switched_replicas")));
        assertEquals("Completed", ImportView.phase(status("completed")));
        assertEquals("Some new state", ImportView.phase(status("some_new_state")), "an unknown state still reads");
    }

    @Test
    void servingSideFollowsTheTraffic() {
        assertEquals(List.of("external", "external"), List.of(ImportView.primaryTraffic("source"),
                ImportView.replicaTraffic("source")));
        assertEquals(List.of("external", "target"), List.of(ImportView.primaryTraffic("replicas"),
                ImportView.replicaTraffic("replicas")));
        assertEquals(List.of("target", "target"), List.of(ImportView.primaryTraffic("primaries"),
                ImportView.replicaTraffic("primaries")));
    }

    private static WorkflowStatus status(String state) {
        return new WorkflowStatus("imp", "Import", "legacy", "commerce", Instant.EPOCH, state, List.of(), List.of(),
                "source", Optional.empty(), Optional.empty());
    }
}
