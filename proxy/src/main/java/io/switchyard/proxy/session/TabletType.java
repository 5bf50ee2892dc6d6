package io.switchyard.proxy.session;

import java.util.Locale;

/** Which server of a shard serves a query: its primary, or one of its replicas. */
public enum TabletType {
    PRIMARY,
    REPLICA;

    /** {@code primary}, {@code replica} (and Vitess's {@code master}, {@code rdonly} as aliases). */
    static TabletType parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "primary", "master" -> PRIMARY;
            case "replica", "rdonly" -> REPLICA;
            default -> throw new IllegalArgumentException("unknown tablet type \"" + text
                    + "\"; use @primary or @replica");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
