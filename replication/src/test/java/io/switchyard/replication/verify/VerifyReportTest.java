package io.switchyard.replication.verify;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerifyReportTest {
    private static final Instant T = Instant.parse("2026-11-22T19:00:00Z");

    @Test
    void processedIsTheSumOfTheOutcomes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new VerifyReport("t", 5, 1, 0,
                1, 1, 1, 0, List.of(), List.of(), List.of(), List.of(), Map.of(), T, T));
        assertTrue(e.getMessage().startsWith("processed (5) must be the sum"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new VerifyReport("t", 1, 1, 2, 0, 0, 0, 0, List.of(),
                List.of(), List.of(), List.of(), Map.of(), T, T));
    }

    @Test
    void summarisesDifferencesWithSamples() {
        VerifyReport report = new VerifyReport("customer", 10, 7, 1, 1, 1, 1, 1, List.of("{\"id\":3}"),
                List.of("{\"id\":4}"), List.of("{\"id\":11}"), List.of("-80: {\"id\":12}"), Map.of("name", 1L), T,
                T.plusSeconds(2));
        assertFalse(report.identical());
        assertEquals("customer: 10 rows, 7 matching (1 only under their collation), 1 mismatched (e.g. {\"id\":3}),"
                + " 1 missing on target (e.g. {\"id\":4}), 1 extra on target (e.g. {\"id\":11}),"
                + " 1 on the wrong target shard (e.g. -80: {\"id\":12})", report.summary());
        assertEquals(2, report.elapsed().toSeconds());
    }

    @Test
    void optionsRejectNonsense() {
        assertThrows(IllegalArgumentException.class, () -> DiffOptions.DEFAULTS.withPageSize(0));
        assertThrows(IllegalArgumentException.class, () -> DiffOptions.DEFAULTS.withSampleLimit(-1));
        assertEquals(10, DiffOptions.DEFAULTS.sampleLimit());
    }
}
