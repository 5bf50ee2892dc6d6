package io.switchyard.admin.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A command line split into positional words and {@code --flags}. Flags may come anywhere, as {@code --name value}
 * or {@code --name=value}; a switch ({@code --dry-run}) takes no value but accepts {@code --dry-run=false}. A
 * repeatable flag ({@code --option k=v}) keeps every value; any other given twice keeps the last.
 *
 * @param positional the words that are not flags, in order (the verb first)
 * @param flags      flag name without dashes → value ("true" for a bare switch; the last one of a repeatable flag)
 * @param repeated   repeatable flag name → every value, in order
 */
record CliArgs(List<String> positional, Map<String, String> flags, Map<String, List<String>> repeated) {
    /** Flags that take a value: the gateway's address and sign-in, then those of {@code workflow} and {@code external}. */
    static final Set<String> VALUED = Set.of("host", "port", "user", "password", "format", "gateway", "gateway-user",
            "gateway-password", "source", "target", "tables", "on-ddl", "global-keyspace", "copy-parallelism",
            "interval", "from-external", "to", "option", "database", "password-file", "password-env", "ssl-cert",
            "ssl-key", "ssl-mode", "ssl-ca", "tls-min-version", "ssl-server-name", "import-connections");
    /** Flags that are switches; {@code --defer-secondary-keys} is one too, but also takes {@code =false}. */
    static final Set<String> SWITCHES = Set.of("all", "stop-after-copy", "defer-secondary-keys", "replicas-only",
            "dry-run", "keep-data", "rename-tables", "watch", "help", "import", "skip-validation");
    /** Flags that may be given more than once. */
    static final Set<String> REPEATABLE = Set.of("option");

    /** Thrown for a command line that cannot be used; the message says what is wrong. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static CliArgs parse(String[] args) throws UsageException {
        List<String> positional = new ArrayList<>();
        Map<String, String> flags = new LinkedHashMap<>();
        Map<String, List<String>> repeated = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.equals("--")) {
                positional.add(arg);
                continue;
            }
            int eq = arg.indexOf('=');
            String name = arg.substring(2, eq < 0 ? arg.length() : eq);
            if (VALUED.contains(name)) {
                if (eq >= 0) {
                    flags.put(name, arg.substring(eq + 1));
                } else if (i + 1 < args.length) {
                    flags.put(name, args[++i]);
                } else {
                    throw new UsageException("--" + name + " needs a value");
                }
                if (REPEATABLE.contains(name)) {
                    repeated.computeIfAbsent(name, n -> new ArrayList<>()).add(flags.get(name));
                }
            } else if (SWITCHES.contains(name)) {
                String value = eq < 0 ? "true" : arg.substring(eq + 1);
                if (!value.equals("true") && !value.equals("false")) {
                    throw new UsageException("--" + name + "=" + value + ": use true or false");
                }
                flags.put(name, value);
            } else {
                throw new UsageException("unknown flag --" + name);
            }
        }
        Map<String, List<String>> lists = new LinkedHashMap<>();
        repeated.forEach((name, values) -> lists.put(name, List.copyOf(values)));
        return new CliArgs(List.copyOf(positional), Map.copyOf(flags), Map.copyOf(lists));
    }

    Optional<String> flag(String name) {
        return Optional.ofNullable(flags.get(name));
    }

    /** Every value of a repeatable flag, in order; none → empty. */
    List<String> all(String name) {
        return repeated.getOrDefault(name, List.of());
    }

    boolean on(String name) {
        return "true".equals(flags.get(name));
    }

    /** The positional word at {@code index}, or a usage error naming what is missing. */
    String word(int index, String what) throws UsageException {
        if (positional.size() <= index) {
            throw new UsageException("missing " + what);
        }
        return positional.get(index);
    }

    /** No positional words after the first {@code count}. */
    void requireWords(int count) throws UsageException {
        if (positional.size() > count) {
            throw new UsageException("unexpected \"" + positional.get(count) + "\"");
        }
    }

    /** {@code --format}: true for json, false for human (the default). */
    boolean json() throws UsageException {
        String format = flag("format").orElse("human");
        if (!format.equals("human") && !format.equals("json")) {
            throw new UsageException("--format " + format + ": use human or json");
        }
        return format.equals("json");
    }

    /** A whole-number flag, or a usage error naming it. */
    Optional<Integer> integer(String name) throws UsageException {
        String value = flags.get(name);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(value.strip()));
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " " + value + ": not a whole number");
        }
    }
}
