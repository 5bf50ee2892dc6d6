package io.switchyard.replication.workflow;

import io.switchyard.config.Keyspace;
import io.switchyard.config.Shard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Whether every target shard has room for the data a workflow will copy to it (seed 003, workflow validation:
 * "Enough storage is available"). The data's size is the source's {@code data_length + index_length} of the moved
 * tables, split evenly over the target's shards (a vindex spreads rows about evenly; a skewed key needs more on
 * some shard). A shard needs twice its share: the rows, and about as much again in the target's binary log, which
 * records every copied row. Free space is read from the target primary's {@code information_schema.DISKS}
 * (MariaDB's {@code disks} plugin) for the file system holding its datadir; where that is unavailable (MySQL, or
 * the plugin not installed) the check says so and does not block.
 */
final class StorageCheck {
    /** Rows plus their binlog events on the target. */
    static final int HEADROOM_FACTOR = 2;

    /** One target shard's verdict; {@code available} is empty when the server cannot say. */
    record Verdict(String shard, long neededBytes, OptionalLong availableBytes) {
        boolean enough() {
            return availableBytes.isEmpty() || availableBytes.getAsLong() >= neededBytes;
        }
    }

    private StorageCheck() {
    }

    /** A verdict per target shard, for moving {@code tables} from {@code source} to {@code target}. */
    static List<Verdict> run(Servers servers, Keyspace source, Keyspace target, List<String> tables)
            throws SQLException {
        long dataBytes = 0;
        for (Shard shard : source.shards()) {
            dataBytes += dataBytes(servers, source, shard, tables);
        }
        long needed = needed(dataBytes, target.shards().size());
        List<Verdict> verdicts = new ArrayList<>();
        for (Shard shard : target.shards()) {
            verdicts.add(new Verdict(shard.name(), needed, available(servers, target, shard)));
        }
        return verdicts;
    }

    /** What one of {@code shards} target shards needs for {@code dataBytes} of source data. */
    static long needed(long dataBytes, int shards) {
        return (dataBytes + shards - 1) / shards * HEADROOM_FACTOR;
    }

    /** The check's message for a verdict, saying what to do when there is not enough. */
    static String message(String targetKeyspace, Verdict v) {
        String needs = "target keyspace " + targetKeyspace + " shard " + v.shard() + " needs about "
                + size(v.neededBytes()) + " (its share of the tables' data and indexes, twice: the rows and their"
                + " binary log)";
        if (v.availableBytes().isEmpty()) {
            return needs + "; its free space is unknown: on MariaDB, INSTALL SONAME 'disks' on the target lets"
                    + " Switchyard read it from information_schema.DISKS. Check the disk yourself";
        }
        String has = "; the disk holding its datadir has " + size(v.availableBytes().getAsLong()) + " free";
        return v.enough() ? needs + has : needs + has + ". Free space or grow the disk there, add shards to the"
                + " target, or move fewer tables; WITH (check_storage = false) creates the workflow anyway";
    }

    /** Bytes in human units, as {@code df -h} would print them. */
    static String size(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    private static long dataBytes(Servers servers, Keyspace source, Shard shard, List<String> tables)
            throws SQLException {
        if (tables.isEmpty()) {
            return 0;
        }
        String marks = String.join(", ", tables.stream().map(t -> "?").toList());
        try (Connection connection = servers.primary(source, shard).open();
             PreparedStatement select = connection.prepareStatement("SELECT COALESCE(SUM(data_length"
                     + " + index_length), 0) FROM information_schema.tables WHERE table_schema = ? AND table_name IN ("
                     + marks + ")")) {
            select.setString(1, source.database());
            for (int i = 0; i < tables.size(); i++) {
                select.setString(i + 2, tables.get(i));
            }
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Free bytes on the file system of the shard primary's datadir, if the server can tell. */
    private static OptionalLong available(Servers servers, Keyspace target, Shard shard) throws SQLException {
        try (Connection connection = servers.primary(target, shard).open();
             Statement statement = connection.createStatement()) {
            String datadir;
            try (ResultSet rs = statement.executeQuery("SELECT @@datadir")) {
                rs.next();
                datadir = rs.getString(1);
            }
            // The mount point that holds the datadir is the longest Path that prefixes it. Sizes are in KiB.
            try (ResultSet rs = statement.executeQuery("SELECT Path, Available FROM information_schema.DISKS")) {
                String best = null;
                long free = 0;
                while (rs.next()) {
                    String path = rs.getString(1);
                    boolean holds = path.equals("/") || datadir.equals(path) || datadir.startsWith(path + "/");
                    if (holds && (best == null || path.length() > best.length())) {
                        best = path;
                        free = rs.getLong(2) * 1024;
                    }
                }
                return best == null ? OptionalLong.empty() : OptionalLong.of(free);
            } catch (SQLException noDisksTable) {
                return OptionalLong.empty(); // 1109 unknown table: the plugin is not installed, or this is MySQL
            }
        }
    }
}
