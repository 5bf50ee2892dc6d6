package io.switchyard.proxy.session;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a session sends its queries, as a client names it in the connect database or {@code USE}:
 * {@code commerce}, {@code commerce@replica}, {@code customer:-80@primary} (Vitess's syntax).
 *
 * @param keyspace  the keyspace name
 * @param shard     a shard of it when the client targets one shard explicitly
 * @param tabletType primary or replica
 */
public record Target(String keyspace, Optional<String> shard, TabletType tabletType) {
    public Target {
        Objects.requireNonNull(keyspace, "keyspace");
        Objects.requireNonNull(shard, "shard");
        Objects.requireNonNull(tabletType, "tabletType");
        if (keyspace.isEmpty()) {
            throw new IllegalArgumentException("empty keyspace name");
        }
    }

    public static Target primary(String keyspace) {
        return new Target(keyspace, Optional.empty(), TabletType.PRIMARY);
    }

    /** Parses a database name; the text may be back-quoted as in {@code USE `commerce@replica`}. */
    public static Target parse(String database) {
        String text = database.strip();
        if (text.length() >= 2 && text.startsWith("`") && text.endsWith("`")) {
            text = text.substring(1, text.length() - 1).replace("``", "`");
        }
        TabletType type = TabletType.PRIMARY;
        int at = text.lastIndexOf('@');
        if (at >= 0) {
            type = TabletType.parse(text.substring(at + 1));
            text = text.substring(0, at);
        }
        Optional<String> shard = Optional.empty();
        int colon = text.indexOf(':');
        if (colon >= 0) {
            String name = text.substring(colon + 1);
            if (name.isEmpty()) {
                throw new IllegalArgumentException("\"" + database + "\" names no shard after ':'");
            }
            shard = Optional.of(name);
            text = text.substring(0, colon);
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException("\"" + database + "\" names no keyspace");
        }
        return new Target(text, shard, type);
    }

    public Target withTabletType(TabletType type) {
        return new Target(keyspace, shard, type);
    }

    @Override
    public String toString() {
        return keyspace + shard.map(s -> ":" + s).orElse("") + "@" + tabletType.label();
    }
}
