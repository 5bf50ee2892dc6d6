package io.switchyard.config;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A configuration that cannot be used. The message lists every problem found, one a line, each as
 * {@code <key path>: <problem>} (for example {@code keyspaces[1].shards[0].name: "80-7f" is not a keyrange}), so that
 * a user can fix the whole file in one pass instead of one error per restart.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<Problem> problems;

    /**
     * One problem: the YAML key path it is about ({@code ""} when relative to the thing being checked) and what is
     * wrong.
     */
    public record Problem(String path, String message) {
        public Problem {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String toString() {
            return path.isEmpty() ? message : path + ": " + message;
        }
    }

    public ConfigException(List<Problem> problems) {
        super(render(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String path, String message) {
        this(List.of(new Problem(path, message)));
    }

    public ConfigException(String path, String message, Throwable cause) {
        this(List.of(new Problem(path, message)));
        initCause(cause);
    }

    /** The problems in the order found (document order within each section). */
    public List<Problem> problems() {
        return problems;
    }

    private static String render(List<Problem> problems) {
        return problems.stream().map(Problem::toString).collect(Collectors.joining("\n"));
    }
}
