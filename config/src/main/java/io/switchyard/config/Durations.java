package io.switchyard.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as written in the config: a whole number and a unit, such as {@code 500ms}, {@code 10s} or {@code 5m}. */
final class Durations {

    private static final Pattern DURATION = Pattern.compile("([0-9]{1,12})(ms|s|m|h)");

    private Durations() {
    }

    /**
     * Parses a duration. A bare number is refused rather than read as seconds or milliseconds: guessing the unit
     * wrong makes a timeout off by a factor of a thousand.
     *
     * @throws ConfigException with an empty path
     */
    static Duration parse(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new ConfigException("", Problems.quote(text)
                    + " is not a duration; write a whole number and a unit: 500ms, 10s, 5m or 1h");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    /** The shortest config spelling of a duration, e.g. {@code 1500ms}, {@code 2s}, {@code 5m}. */
    static String format(Duration d) {
        if (d.isNegative()) {
            return "-" + format(d.negated());
        }
        if (d.toNanosPart() % 1_000_000 != 0) {
            return d.toString();
        }
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms != 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms != 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
