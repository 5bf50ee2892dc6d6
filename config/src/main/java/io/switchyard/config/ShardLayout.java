package io.switchyard.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rules on a keyspace's set of shards. An unsharded keyspace has exactly one shard. A sharded keyspace's shards, taken
 * in keyrange order, must tile the keyspace-id range: a gap would leave rows with nowhere to go, an overlap would give
 * a row two homes.
 */
final class ShardLayout {

    private ShardLayout() {
    }

    private record Named(int index, String name, KeyRange range) {
    }

    /**
     * @param problems positioned at the keyspace's {@code shards} key
     * @param names shard names in config order; {@code null} entries (already reported) make the layout unknowable, so
     *     only per-name rules run
     */
    static void check(Problems problems, boolean sharded, List<String> names) {
        if (names.isEmpty()) {
            problems.add("empty; a keyspace needs at least one shard");
            return;
        }
        if (!sharded) {
            checkUnsharded(problems, names);
            return;
        }
        List<Named> ranges = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean complete = true;
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name == null) {
                complete = false;
                continue;
            }
            String key = "[" + i + "].name";
            Integer first = seen.putIfAbsent(name, i);
            if (first != null) {
                problems.add(key, Problems.quote(name) + " is a duplicate of shards[" + first + "]");
                complete = false;
            } else if (Shard.UNSHARDED_NAME.equals(name)) {
                problems.add(key, "\"0\" is not a keyrange; shards of a sharded keyspace are named by keyrange, "
                        + "e.g. \"-80\" and \"80-\" (or \"-\" for a single shard)");
                complete = false;
            } else {
                try {
                    ranges.add(new Named(i, name, KeyRange.parse(name)));
                } catch (ConfigException e) {
                    complete = false; // reported by the shard itself
                }
            }
        }
        if (complete) {
            checkCoverage(problems, ranges);
        }
    }

    private static void checkUnsharded(Problems problems, List<String> names) {
        if (names.size() != 1) {
            problems.add("an unsharded keyspace has exactly one shard, named \"0\"; found " + names.size()
                    + " (set sharded: true to split it by keyrange)");
            return;
        }
        String name = names.get(0);
        if (name != null && !Shard.UNSHARDED_NAME.equals(name) && !"-".equals(name) && isKeyRange(name)) {
            problems.add("[0].name", Problems.quote(name)
                    + " is not a name for the only shard of an unsharded keyspace; use \"0\" (or \"-\"),"
                    + " or set sharded: true");
        }
    }

    /** Names that are not keyranges at all were already reported by the shard; don't say it twice. */
    private static boolean isKeyRange(String name) {
        try {
            KeyRange.parse(name);
            return true;
        } catch (ConfigException e) {
            return false;
        }
    }

    /** Sweeps the ranges in start order, tracking how far the keyspace-id line is covered so far. */
    private static void checkCoverage(Problems problems, List<Named> ranges) {
        ranges.sort(Comparator.comparing((Named n) -> n.range().start(), KeyRange::compare)
                .thenComparing(n -> n.range().end(), KeyRange::compareEnds));
        Named reach = null;
        for (Named next : ranges) {
            String start = next.range().start();
            if (reach == null) {
                if (!start.isEmpty()) {
                    problems.add("gap before " + Problems.quote(next.name()) + " (keyspace ids below " + start
                            + " belong to no shard)");
                }
                reach = next;
                continue;
            }
            String covered = reach.range().end();
            if (covered.isEmpty() || KeyRange.compare(start, covered) < 0) {
                problems.add(Problems.quote(reach.name()) + " and " + Problems.quote(next.name()) + " overlap");
            } else if (KeyRange.compare(start, covered) > 0) {
                problems.add("gap between " + Problems.quote(reach.name()) + " and " + Problems.quote(next.name())
                        + " (keyspace ids " + covered + ".." + start + " belong to no shard)");
            }
            if (KeyRange.compareEnds(next.range().end(), covered) > 0) {
                reach = next;
            }
        }
        String end = reach.range().end();
        if (!end.isEmpty()) {
            problems.add("gap after " + Problems.quote(reach.name()) + " (keyspace ids from " + end
                    + " up belong to no shard)");
        }
    }
}
