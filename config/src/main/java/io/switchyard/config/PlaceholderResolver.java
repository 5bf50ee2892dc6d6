package io.switchyard.config;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Supplies the value of a {@code ${prefix:name}} placeholder in the config, or empty when it has none. Secrets come in
 * as {@code ${env:NAME}}; the demo adds its own prefix ({@code ${sandbox:commerce/0/primary}}) for the addresses of the
 * servers it starts. Resolvers are plain functions so callers, and tests, inject them instead of touching the real
 * environment.
 */
@FunctionalInterface
public interface PlaceholderResolver {

    /** The prefix of environment-variable placeholders, {@code ${env:NAME}}. */
    String ENV = "env";

    Optional<String> resolve(String prefix, String name);

    /** Resolves {@code ${env:NAME}} from the process environment, read at resolution time; nothing else. */
    static PlaceholderResolver environment() {
        return (prefix, name) -> ENV.equals(prefix) ? Optional.ofNullable(System.getenv(name)) : Optional.empty();
    }

    /** Resolves {@code ${env:NAME}} from the given map, standing in for the process environment. */
    static PlaceholderResolver environment(Map<String, String> variables) {
        Map<String, String> copy = Map.copyOf(variables);
        return (prefix, name) -> ENV.equals(prefix) ? Optional.ofNullable(copy.get(name)) : Optional.empty();
    }

    /** Resolves nothing: every placeholder is reported as unresolved. */
    static PlaceholderResolver none() {
        return (prefix, name) -> Optional.empty();
    }

    /** Tries this resolver, then {@code fallback} for what this one leaves empty. */
    default PlaceholderResolver or(PlaceholderResolver fallback) {
        Objects.requireNonNull(fallback, "fallback");
        return (prefix, name) -> {
            Optional<String> value = resolve(prefix, name);
            return value.isPresent() ? value : fallback.resolve(prefix, name);
        };
    }
}
