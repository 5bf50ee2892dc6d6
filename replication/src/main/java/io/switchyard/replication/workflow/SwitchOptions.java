package io.switchyard.replication.workflow;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of a traffic switch.
 *
 * @param window      the longest statements for the moved tables are held at the gateway, and the longest the
 *                    switch waits for in-flight transactions and for the target to catch up; past it, the switch is
 *                    undone and traffic stays where it was
 * @param maxLag      the largest replication lag the pre-checks accept
 * @param maxHeld     the most statements held at once; more are refused with error 1317
 */
public record SwitchOptions(Duration window, Duration maxLag, int maxHeld) {
    /** 10 s window, 30 s lag, 1,000 held statements. */
    public static final SwitchOptions DEFAULTS = new SwitchOptions(Duration.ofSeconds(10), Duration.ofSeconds(30),
            1_000);

    public SwitchOptions {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(maxLag, "maxLag");
        if (window.isNegative() || window.isZero() || window.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("timeout must be between 1 ms and 10 minutes, was " + window);
        }
        if (maxHeld < 1) {
            throw new IllegalArgumentException("max_held must be at least 1, was " + maxHeld);
        }
    }
}
