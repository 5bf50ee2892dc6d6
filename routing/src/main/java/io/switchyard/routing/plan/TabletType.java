package io.switchyard.routing.plan;

import java.util.Locale;

/** Which server of a shard a query may run on; clients choose with the database name ({@code commerce@replica}). */
public enum TabletType {
    PRIMARY,
    REPLICA;

    /** The routing-rule suffix for this type: {@code @primary} or {@code @replica}. */
    public String suffix() {
        return "@" + name().toLowerCase(Locale.ROOT);
    }
}
