package io.switchyard.replication.apply;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ApplyOptionsTest {
    @Test
    void rejectsBadValuesWithTheValueInTheMessage() {
        assertEquals("maxTransactions must be at least 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> new ApplyOptions(0, Duration.ZERO)).getMessage());
        assertEquals("maxDelay must be 0..1 minute, was PT-1S", assertThrows(IllegalArgumentException.class,
                () -> new ApplyOptions(1, Duration.ofSeconds(-1))).getMessage());
        assertEquals("maxDelay must be 0..1 minute, was PT2M", assertThrows(IllegalArgumentException.class,
                () -> new ApplyOptions(1, Duration.ofMinutes(2))).getMessage());
    }

    @Test
    void oneTransactionPerCommitIsAllowed() {
        assertEquals(1, new ApplyOptions(1, Duration.ZERO).maxTransactions());
    }
}
