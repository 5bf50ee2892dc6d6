package io.switchyard.replication.workflow;

import io.switchyard.routing.topo.TopologyConflictException;
import io.switchyard.routing.topo.TopologyStore;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The routing-rule changes of a workflow's life, each one compare-and-set on the topology store's version (retried
 * when another writer got in first). Rules name every form of a moved table: {@code t}, {@code source.t} and
 * {@code target.t}, each also with {@code @replica}.
 */
final class RuleEdits {
    private static final int ATTEMPTS = 5;

    private final TopologyStore topology;
    private final List<String> tables;
    private final String source;
    private final String target;

    RuleEdits(TopologyStore topology, List<String> tables, String source, String target) {
        this.topology = topology;
        this.tables = List.copyOf(tables);
        this.source = source;
        this.target = target;
    }

    /** Primary and replica traffic to {@code keyspace}, and no more hold marks: one version, seen at once. */
    void routeAllTo(String keyspace) {
        edit(rules -> {
            forms(false).forEach(form -> rules.put(form, keyspace));
            holdMarks().forEach(rules::remove);
        });
    }

    /**
     * Asks every gateway to hold statements for the tables ({@code ks.t@hold} in both keyspaces), until
     * {@link #routeAllTo} or {@link #removeHolds}.
     */
    void addHolds(String servingKeyspace) {
        edit(rules -> holdMarks().forEach(mark -> rules.put(mark, servingKeyspace)));
    }

    void removeHolds() {
        edit(rules -> holdMarks().forEach(rules::remove));
    }

    private List<String> holdMarks() {
        List<String> marks = new java.util.ArrayList<>();
        for (String table : tables) {
            marks.add(source + "." + table + io.switchyard.routing.plan.RoutingRules.HOLD);
            marks.add(target + "." + table + io.switchyard.routing.plan.RoutingRules.HOLD);
        }
        return marks;
    }

    /** Replica traffic to {@code keyspace}; primary rules unchanged. */
    void routeReplicasTo(String keyspace) {
        edit(rules -> forms(true).forEach(form -> rules.put(form, keyspace)));
    }

    /** Removes every rule for the tables, hold marks included. */
    void remove() {
        edit(rules -> {
            forms(false).forEach(rules::remove);
            holdMarks().forEach(rules::remove);
        });
    }

    /** Whether the primary rule of the first table points at {@code keyspace} now. */
    boolean primariesOn(String keyspace) {
        return keyspace.equals(topology.readRoutingRules().rules().get(tables.get(0)));
    }

    private List<String> forms(boolean replicasOnly) {
        List<String> forms = new java.util.ArrayList<>();
        for (String table : tables) {
            for (String name : List.of(table, source + "." + table, target + "." + table)) {
                if (!replicasOnly) {
                    forms.add(name);
                }
                forms.add(name + "@replica");
            }
        }
        return forms;
    }

    private void edit(Consumer<Map<String, String>> change) {
        for (int attempt = 1; ; attempt++) {
            var current = topology.readRoutingRules();
            Map<String, String> rules = new LinkedHashMap<>(current.rules());
            change.accept(rules);
            if (rules.equals(current.rules())) {
                return;
            }
            try {
                topology.writeRoutingRules(rules, current.version());
                return;
            } catch (TopologyConflictException e) {
                if (attempt == ATTEMPTS) {
                    throw e; // another writer keeps winning; the operator retries the command
                }
            }
        }
    }
}
