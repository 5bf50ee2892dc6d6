package io.switchyard.replication.binlog;

import com.github.shyiko.mysql.binlog.GtidSet;

import java.util.HashMap;
import java.util.Map;

/**
 * Comparisons of replication positions in either flavour, as the workflow stores them: a MariaDB GTID position
 * ({@code 0-100-5,1-200-7}: the last transaction per domain) or a MySQL GTID set ({@code uuid:1-5:7,uuid2:1-3}: every
 * transaction executed). The two never mix within one stream: a stream's positions all come from one source.
 */
public final class GtidPositions {
    private GtidPositions() {
    }

    /** MySQL GTID sets are {@code uuid:interval}; MariaDB positions never contain a colon. */
    public static boolean isMySql(String position) {
        return position.contains(":");
    }

    /**
     * Whether every transaction up to {@code a} is also covered by {@code b}: for MariaDB, each of {@code a}'s domains
     * is in {@code b} at the same or a later sequence number; for MySQL, {@code a}'s set is contained in {@code b}'s.
     */
    public static boolean atOrBefore(String a, String b) {
        if (isMySql(a) || isMySql(b)) {
            return new GtidSet(a).isContainedWithin(new GtidSet(b));
        }
        Map<Long, Long> limits = sequences(MariaDbGtidPosition.parse(b));
        for (MariaDbGtidPosition.Gtid gtid : MariaDbGtidPosition.parse(a).gtids()) {
            Long limit = limits.get(gtid.domain());
            if (limit == null || Long.compareUnsigned(gtid.sequence(), limit) > 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code a} and {@code b} cover exactly the same transactions. */
    public static boolean same(String a, String b) {
        return atOrBefore(a, b) && atOrBefore(b, a);
    }

    private static Map<Long, Long> sequences(MariaDbGtidPosition position) {
        Map<Long, Long> sequences = new HashMap<>();
        position.gtids().forEach(g -> sequences.put(g.domain(), g.sequence()));
        return sequences;
    }
}
