package io.switchyard.proxy.server;

import io.switchyard.config.Keyspace;
import io.switchyard.config.SwitchyardConfig;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Whether a statement names a keyspace other than the session's as a qualifier ({@code customer.t},
 * {@code `customer`.t}). The fast path sends an unsharded session's statements to its one shard unparsed; a
 * statement qualified with another keyspace must be planned instead, or it would reach the wrong server. A false
 * positive (the name inside a string literal) only costs a trip through the planner.
 */
final class KeyspaceMentions {
    private final Map<String, Pattern> othersBySession = new HashMap<>();

    KeyspaceMentions(SwitchyardConfig config) {
        List<String> names = config.keyspaces().stream().map(Keyspace::name).toList();
        for (String session : names) {
            List<String> others = names.stream().filter(n -> !n.equals(session)).toList();
            if (!others.isEmpty()) {
                String alternatives = others.stream().map(Pattern::quote).collect(Collectors.joining("|"));
                othersBySession.put(session, Pattern.compile("(?<![\\w$])`?(?:" + alternatives + ")`?\\s*\\.",
                        Pattern.CASE_INSENSITIVE));
            }
        }
    }

    /** Whether {@code sql} qualifies a name with a keyspace other than {@code sessionKeyspace}. */
    boolean otherThan(String sessionKeyspace, String sql) {
        Pattern others = othersBySession.get(sessionKeyspace);
        // This runs on the fast path for every statement: most have no qualified name at all, and no regex then.
        return others != null && sql.indexOf('.') >= 0 && others.matcher(sql).find();
    }
}
