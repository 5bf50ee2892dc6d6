package io.switchyard.replication.binlog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A MariaDB GTID position: for each replication domain, the last transaction ({@code domain-server-sequence}), as
 * {@code @@gtid_binlog_pos} and {@code @@gtid_slave_pos} print it ({@code 0-100-5,1-200-7}). Immutable.
 *
 * <p>Unlike a MySQL GTID set, a MariaDB position holds one GTID per domain, not a set of intervals: the position after
 * a transaction is the previous position with that transaction's domain entry replaced. That is why
 * {@link #advance(long, long, long)} replaces rather than merges.
 *
 * @see <a href="https://mariadb.com/kb/en/gtid/">MariaDB Global Transaction ID</a>
 */
public final class MariaDbGtidPosition {
    private static final long MAX_UINT32 = 0xFFFF_FFFFL;

    /** Domain id → GTID; sorted so that {@link #toString()} is canonical (the server also prints domains in order). */
    private final Map<Long, Gtid> byDomain;

    /** One MariaDB GTID: {@code domain-server-sequence}; {@code sequence} is an unsigned 64-bit number. */
    public record Gtid(long domain, long serverId, long sequence) {
        public Gtid {
            requireArgument(domain >= 0 && domain <= MAX_UINT32, "GTID domain must be 0..4294967295 but was %s", domain);
            requireArgument(serverId >= 0 && serverId <= MAX_UINT32,
                    "GTID server id must be 0..4294967295 but was %s", serverId);
        }

        @Override
        public String toString() {
            return domain + "-" + serverId + "-" + Long.toUnsignedString(sequence);
        }
    }

    private MariaDbGtidPosition(Map<Long, Gtid> byDomain) {
        this.byDomain = Collections.unmodifiableMap(byDomain);
    }

    /** The empty position (no domain has a transaction yet). */
    public static MariaDbGtidPosition empty() {
        return new MariaDbGtidPosition(new TreeMap<>());
    }

    /**
     * Parses {@code 0-100-5,1-200-7} (whitespace around entries allowed, empty string = empty position). Two entries
     * for one domain are rejected: the server never prints that, so it means the value was mangled.
     */
    public static MariaDbGtidPosition parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("MariaDB GTID position must not be null");
        }
        TreeMap<Long, Gtid> map = new TreeMap<>();
        if (text.isBlank()) {
            return new MariaDbGtidPosition(map);
        }
        for (String entry : text.split(",")) {
            String trimmed = entry.trim();
            String[] parts = trimmed.split("-", -1);
            requireArgument(parts.length == 3, "MariaDB GTID \"%s\" in \"%s\" is not domain-server-sequence", trimmed,
                    text);
            Gtid gtid;
            try {
                gtid = new Gtid(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseUnsignedLong(parts[2]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(String.format(
                        "MariaDB GTID \"%s\" in \"%s\" has a part that is not a number", trimmed, text), e);
            }
            Gtid previous = map.put(gtid.domain(), gtid);
            requireArgument(previous == null, "MariaDB GTID position \"%s\" names domain %s twice", text,
                    gtid.domain());
        }
        return new MariaDbGtidPosition(map);
    }

    /** The position after transaction {@code domain-serverId-sequence}: that domain's entry replaced. */
    public MariaDbGtidPosition advance(long domain, long serverId, long sequence) {
        TreeMap<Long, Gtid> map = new TreeMap<>(byDomain);
        map.put(domain, new Gtid(domain, serverId, sequence));
        return new MariaDbGtidPosition(map);
    }

    /** The last GTID of each domain, ordered by domain. */
    public List<Gtid> gtids() {
        return Collections.unmodifiableList(new ArrayList<>(byDomain.values()));
    }

    public boolean isEmpty() {
        return byDomain.isEmpty();
    }

    /** The canonical text form, as the server prints it: entries ordered by domain, comma separated. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Gtid gtid : byDomain.values()) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(gtid);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MariaDbGtidPosition other && byDomain.equals(other.byDomain);
    }

    @Override
    public int hashCode() {
        return byDomain.hashCode();
    }

    private static void requireArgument(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException(String.format(format, args));
        }
    }
}
