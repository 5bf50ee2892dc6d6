package io.switchyard.routing.plan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Table routing rules, as Vitess's: a table reference redirected to another keyspace, optionally per tablet type.
 * Workflows write them (MoveTables keeps {@code customer} on the source until traffic switches, then points it at the
 * target), and a running gateway swaps in a new version atomically.
 *
 * <p>Keys are {@code table}, {@code ks.table}, or either with {@code @replica} / {@code @primary}; values are target
 * keyspace names. A key {@code ks.table@hold} routes nothing: it tells every gateway that a traffic switch is moving
 * that table and that its statements are to be held until the key goes away (see {@link #held()}). The most specific rule wins: for a reference {@code ks.t} (qualified, or unqualified in a session
 * whose keyspace is {@code ks}) at tablet type replica the lookup order is {@code ks.t@replica}, {@code ks.t}, then,
 * for unqualified references only, {@code t@replica} and {@code t}. An explicitly qualified reference never falls back
 * to a bare-name rule: writing the keyspace means that keyspace unless a rule names it.
 *
 * @param version increases with every change (the topology store's version)
 * @param rules from-pattern to target keyspace
 */
public record RoutingRules(long version, Map<String, String> rules) {

    public static final RoutingRules NONE = new RoutingRules(0, Map.of());

    private static final String NAME = "[A-Za-z0-9_$-]+";
    private static final Pattern KEY = Pattern.compile("(" + NAME + "\\.)?" + NAME + "(@primary|@replica|@hold)?");
    /** The suffix of a hold marker. */
    public static final String HOLD = "@hold";
    private static final Pattern KEYSPACE = Pattern.compile(NAME);

    public RoutingRules {
        if (version < 0) {
            throw new IllegalArgumentException("version was " + version);
        }
        rules = Collections.unmodifiableMap(new LinkedHashMap<>(rules));
        rules.forEach((from, to) -> {
            if (!KEY.matcher(from).matches()) {
                throw RoutingException.routing("routing rule '" + from + "' is not table, keyspace.table, or either"
                        + " with @primary or @replica");
            }
            if (!KEYSPACE.matcher(Objects.requireNonNull(to, from)).matches()) {
                throw RoutingException.routing("routing rule '" + from + "' points at '" + to
                        + "', which is not a keyspace name");
            }
        });
    }

    /**
     * The keyspace a table reference is redirected to, if a rule matches.
     *
     * @param qualifier the keyspace written in the query ({@code ks.t}), if any
     * @param sessionKeyspace the session's keyspace, used for unqualified references
     */
    public Optional<String> target(Optional<String> qualifier, String table, Optional<String> sessionKeyspace,
                                   TabletType tabletType) {
        for (String key : lookupOrder(qualifier, table, sessionKeyspace, tabletType)) {
            String target = rules.get(key);
            if (target != null) {
                return Optional.of(target);
            }
        }
        return Optional.empty();
    }

    /** The tables ({@code ks.table}) a traffic switch asks every gateway to hold statements for. */
    public java.util.Set<String> held() {
        java.util.Set<String> held = new java.util.TreeSet<>();
        rules.keySet().stream().filter(k -> k.endsWith(HOLD))
                .forEach(k -> held.add(k.substring(0, k.length() - HOLD.length())));
        return held;
    }

    /** Whether any rule redirects a table of this keyspace (by its qualified form). */
    boolean redirectsFrom(String keyspace) {
        String prefix = keyspace + ".";
        return rules.keySet().stream().anyMatch(k -> k.startsWith(prefix) || k.indexOf('.') < 0);
    }

    private static List<String> lookupOrder(Optional<String> qualifier, String table, Optional<String> session,
                                            TabletType tabletType) {
        String suffix = tabletType.suffix();
        List<String> keys = new ArrayList<>(4);
        Optional<String> keyspace = qualifier.or(() -> session);
        keyspace.ifPresent(ks -> {
            keys.add(ks + "." + table + suffix);
            keys.add(ks + "." + table);
        });
        if (qualifier.isEmpty()) {
            keys.add(table + suffix);
            keys.add(table);
        }
        return keys;
    }
}
