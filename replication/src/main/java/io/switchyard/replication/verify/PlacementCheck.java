package io.switchyard.replication.verify;

import io.switchyard.routing.vindex.KeyRange;

import java.math.BigDecimal;
import java.util.List;

/**
 * Checks that a target row is on the shard owning its keyspace id ({@link Placement}). A value the vindex cannot map
 * (NULL, text that is not a number for {@code hash}) belongs to no shard, so its row is misplaced wherever it is.
 */
final class PlacementCheck {
    private final Placement placement;
    private final int column;
    private final List<String> shardNames;
    private final List<KeyRange> ranges;

    PlacementCheck(DiffTable table, List<DiffSide> targets, Placement placement) {
        this.placement = placement;
        this.column = indexOf(table, placement.column());
        this.shardNames = targets.stream().map(DiffSide::shard).toList();
        try {
            this.ranges = shardNames.stream().map(KeyRange::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new VerifyException("checking placement needs target shards named after their key ranges: "
                    + e.getMessage(), e);
        }
    }

    boolean owns(Row row) {
        Object value = row.values()[column];
        if (value instanceof BigDecimal decimal) {
            value = decimal.toPlainString();
        }
        try {
            return ranges.get(row.shard()).contains(placement.vindex().keyspaceId(value));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    String shardName(Row row) {
        return shardNames.get(row.shard());
    }

    private static int indexOf(DiffTable table, String name) {
        for (int i = 0; i < table.columns().size(); i++) {
            if (table.columns().get(i).name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        throw new VerifyException("table " + table.name() + " has no sharding column " + name);
    }
}
