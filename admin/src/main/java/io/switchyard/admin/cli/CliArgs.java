package io.switchyard.admin.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A command line split into positional words and {@code --flags}. Flags may come anywhere, as {@code --name value}
 * or {@code --name=value}; a switch ({@code --dry-run}) takes no value but accepts {@code --dry-run=false}.
 *
 * @param positional the words that are not flags, in order (the verb first)
 * @param flags      flag name without dashes → value ("true" for a bare switch)
 */
record CliArgs(List<String> positional, Map<String, String> flags) {
    /** Flags that take a value. */
    static final Set<String> VALUED = Set.of("host", "port", "user", "password", "format", "source", "target",
            "tables", "on-ddl", "global-keyspace", "copy-parallelism", "interval");
    /** Flags that are switches; {@code --defer-secondary-keys} is one too, but also takes {@code =false}. */
    static final Set<String> SWITCHES = Set.of("all", "stop-after-copy", "defer-secondary-keys", "replicas-only",
            "dry-run", "keep-data", "rename-tables", "watch", "help");

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
        return new CliArgs(List.copyOf(positional), Map.copyOf(flags));
    }

    Optional<String> flag(String name) {
        return Optional.ofNullable(flags.get(name));
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
}
