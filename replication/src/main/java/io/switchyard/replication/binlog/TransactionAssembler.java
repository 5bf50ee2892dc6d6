package io.switchyard.replication.binlog;

import com.github.shyiko.mysql.binlog.GtidSet;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;

import java.io.Serializable;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns the client's event sequence into {@link BinlogEvent}s and tracks the GTID position. Runs on the stream thread
 * only, so it holds plain mutable state. Any event it cannot account for throws {@link BinlogStreamException}: the
 * stream then stops instead of skipping it (house rule 8).
 *
 * <p>Event groups: MariaDB opens each group with a GTID event (no BEGIN query) and closes it with XID (InnoDB), a
 * COMMIT/ROLLBACK query (non-transactional tables), or, for a group flagged standalone (DDL), the one query itself.
 * MySQL sends GTID, then a BEGIN query, rows, XID; DDL is GTID then the query.
 */
final class TransactionAssembler {
    private final Set<TableName> watched;
    private final TableSchemas schemas;
    private final Consumer<BinlogEvent> sink;
    private final Clock clock;

    /** Table id → TABLE_MAP of a watched table; ids of unwatched tables are absent (their rows are filtered out). */
    private final Map<Long, TableMapEventData> watchedTableMaps = new HashMap<>();
    /** Table id → TABLE_MAP seen, watched or not, so a rows event without one is detected rather than dropped. */
    private final Set<Long> knownTableIds = new HashSet<>();

    private MariaDbGtidPosition mariaDbPosition;
    private GtidSet mySqlPosition;

    /** The group in progress, or null between groups. */
    private Group group;

    /** Position after the group in progress; position() still reports the last completed group. */
    private static final class Group {
        final boolean standalone;
        final String positionAfter;
        final List<RowChange> changes = new ArrayList<>();

        Group(boolean standalone, String positionAfter) {
            this.standalone = standalone;
            this.positionAfter = positionAfter;
        }
    }

    TransactionAssembler(String start, Set<TableName> watched, TableSchemas schemas, Consumer<BinlogEvent> sink,
                         Clock clock) {
        this.watched = Set.copyOf(watched);
        this.schemas = schemas;
        this.sink = sink;
        this.clock = clock;
        if (isMySqlGtidSet(start)) {
            mySqlPosition = new GtidSet(start);
        } else {
            mariaDbPosition = MariaDbGtidPosition.parse(start);
        }
    }

    /** MySQL GTID sets are {@code uuid:interval}; MariaDB positions never contain a colon. */
    static boolean isMySqlGtidSet(String position) {
        return position.contains(":");
    }

    /** The position after the last complete event group seen (delivered or filtered out). */
    String position() {
        return mariaDbPosition != null ? mariaDbPosition.toString() : mySqlPosition.toString();
    }

    void accept(Event event) {
        EventType type = event.getHeader().getEventType();
        switch (type) {
            case MARIADB_GTID -> beginMariaDb(event.getData());
            case GTID -> beginMySql(event.getData());
            case TABLE_MAP -> tableMap(event.getData());
            case WRITE_ROWS, EXT_WRITE_ROWS -> inserts(event.getData());
            case UPDATE_ROWS, EXT_UPDATE_ROWS -> updates(event.getData());
            case DELETE_ROWS, EXT_DELETE_ROWS -> deletes(event.getData());
            case XID -> commit(event);
            case QUERY -> query(event);
            case HEARTBEAT -> sink.accept(new Heartbeat(position(), clock.instant()));
            case PRE_GA_WRITE_ROWS, PRE_GA_UPDATE_ROWS, PRE_GA_DELETE_ROWS, PARTIAL_UPDATE_ROWS_EVENT,
                    TRANSACTION_PAYLOAD -> throw new BinlogStreamException("binlog event " + type
                    + " is not supported (use binlog_row_image=FULL, no binlog compression)");
            default -> {
                // ROTATE, FORMAT_DESCRIPTION, GTID lists, ANNOTATE_ROWS, checkpoints...: no data, no position change.
            }
        }
    }

    private void beginMariaDb(MariadbGtidEventData gtid) {
        requireNoGroup("MariaDB GTID " + gtid);
        MariaDbGtidPosition after = mariaDbPosition.advance(gtid.getDomainId(), gtid.getServerId(),
                gtid.getSequence());
        group = new Group((gtid.getFlags() & MariadbGtidEventData.FL_STANDALONE) != 0, after.toString());
    }

    private void beginMySql(GtidEventData gtid) {
        requireNoGroup("GTID " + gtid.getGtid());
        GtidSet after = new GtidSet(mySqlPosition.toString());
        after.add(gtid.getGtid());
        // MySQL DDL has no BEGIN/XID: a query right after GTID (before BEGIN) ends the group.
        group = new Group(true, after.toString());
    }

    private void requireNoGroup(String what) {
        if (group != null) {
            throw new BinlogStreamException(what + " started before the previous transaction ended (at " + position()
                    + ")");
        }
    }

    private void tableMap(TableMapEventData map) {
        knownTableIds.add(map.getTableId());
        if (watched.contains(new TableName(map.getDatabase(), map.getTable()))) {
            watchedTableMaps.put(map.getTableId(), map);
        } else {
            watchedTableMaps.remove(map.getTableId());
        }
    }

    private void inserts(WriteRowsEventData data) {
        TableMapEventData map = tableFor(data.getTableId());
        if (map == null) {
            return;
        }
        List<ColumnInfo> columns = columnsOf(map, data.getIncludedColumns(), null);
        for (Serializable[] row : data.getRows()) {
            add(new RowChange(RowChange.Kind.INSERT, map.getDatabase(), map.getTable(), names(columns), List.of(),
                    values(columns, row)));
        }
    }

    private void updates(UpdateRowsEventData data) {
        TableMapEventData map = tableFor(data.getTableId());
        if (map == null) {
            return;
        }
        List<ColumnInfo> columns = columnsOf(map, data.getIncludedColumns(), data.getIncludedColumnsBeforeUpdate());
        for (Map.Entry<Serializable[], Serializable[]> row : data.getRows()) {
            add(new RowChange(RowChange.Kind.UPDATE, map.getDatabase(), map.getTable(), names(columns),
                    values(columns, row.getKey()), values(columns, row.getValue())));
        }
    }

    private void deletes(DeleteRowsEventData data) {
        TableMapEventData map = tableFor(data.getTableId());
        if (map == null) {
            return;
        }
        List<ColumnInfo> columns = columnsOf(map, data.getIncludedColumns(), null);
        for (Serializable[] row : data.getRows()) {
            add(new RowChange(RowChange.Kind.DELETE, map.getDatabase(), map.getTable(), names(columns),
                    values(columns, row), List.of()));
        }
    }

    /** The watched TABLE_MAP for a rows event, or null if the table is not watched. */
    private TableMapEventData tableFor(long tableId) {
        if (group == null) {
            throw new BinlogStreamException("rows event for table id " + tableId + " outside a transaction (at "
                    + position() + ")");
        }
        if (!knownTableIds.contains(tableId)) {
            throw new BinlogStreamException("rows event for table id " + tableId + " without a TABLE_MAP (at "
                    + position() + ")");
        }
        return watchedTableMaps.get(tableId);
    }

    /**
     * The columns of a watched table, checked against the event: the binlog must carry full row images, and the
     * column count must match information_schema, otherwise values would land in the wrong columns.
     */
    private List<ColumnInfo> columnsOf(TableMapEventData map, BitSet included, BitSet includedBefore) {
        int count = map.getColumnTypes().length;
        List<ColumnInfo> columns = schemas.columns(map.getDatabase(), map.getTable());
        if (columns.size() != count) {
            schemas.invalidateAll();
            columns = schemas.columns(map.getDatabase(), map.getTable());
        }
        if (columns.size() != count) {
            throw new BinlogStreamException("table " + map.getDatabase() + "." + map.getTable() + " has " + count
                    + " columns in the binlog but " + columns.size() + " in information_schema: the schema changed"
                    + " after this event was written (at " + position() + ")");
        }
        if (included.cardinality() != count || (includedBefore != null && includedBefore.cardinality() != count)) {
            throw new BinlogStreamException("table " + map.getDatabase() + "." + map.getTable()
                    + " has a partial row image in the binlog: set binlog_row_image=FULL on the source");
        }
        return columns;
    }

    private static List<String> names(List<ColumnInfo> columns) {
        List<String> names = new ArrayList<>(columns.size());
        columns.forEach(c -> names.add(c.name()));
        return names;
    }

    private static List<Object> values(List<ColumnInfo> columns, Serializable[] row) {
        List<Object> values = new ArrayList<>(Arrays.asList(new Object[row.length]));
        for (int i = 0; i < row.length; i++) {
            values.set(i, ValueNormalizer.normalize(columns.get(i), row[i]));
        }
        return values;
    }

    private void add(RowChange change) {
        group.changes.add(change);
    }

    private void query(Event event) {
        QueryEventData query = event.getData();
        String sql = query.getSql().trim();
        String upper = sql.toUpperCase(Locale.ROOT);
        if (upper.equals("BEGIN") || upper.startsWith("XA START")) {
            if (group == null) {
                throw new BinlogStreamException("BEGIN without a GTID event: the source must run with GTIDs (at "
                        + position() + ")");
            }
            group = new Group(false, group.positionAfter); // MySQL: what follows is a transaction, not DDL
            return;
        }
        if (upper.equals("COMMIT") || upper.equals("ROLLBACK") || upper.startsWith("XA END")) {
            // ROLLBACK still ends a group whose non-transactional rows did happen: deliver them.
            commit(event);
            return;
        }
        if (group == null) {
            throw new BinlogStreamException("statement outside a GTID group (at " + position() + "): " + sql);
        }
        // Any other statement may change a schema; cached column lists could now be wrong.
        schemas.invalidateAll();
        if (namesWatchedTable(query.getDatabase(), sql)) {
            sink.accept(new Ddl(group.positionAfter, query.getDatabase() == null ? "" : query.getDatabase(), sql));
        }
        if (group.standalone) {
            commit(event);
        }
    }

    /**
     * Whether the statement may touch a watched table: it mentions the table's name as an identifier and either
     * runs in that database or names it too. Errs towards true; a false positive only asks the caller to decide.
     */
    private boolean namesWatchedTable(String database, String sql) {
        Set<String> tokens = new HashSet<>(Arrays.asList(sql.toLowerCase(Locale.ROOT)
                .split("[^a-z0-9_$\\x80-\\uffff]+")));
        String db = database == null ? "" : database.toLowerCase(Locale.ROOT);
        for (TableName table : watched) {
            if (tokens.contains(table.table()) && (db.equals(table.database()) || tokens.contains(table.database()))) {
                return true;
            }
        }
        return false;
    }

    private void commit(Event event) {
        if (group == null) {
            throw new BinlogStreamException("commit without a GTID event (at " + position() + ")");
        }
        Group done = group;
        group = null;
        if (mariaDbPosition != null) {
            mariaDbPosition = MariaDbGtidPosition.parse(done.positionAfter);
        } else {
            mySqlPosition = new GtidSet(done.positionAfter);
        }
        if (!done.changes.isEmpty()) {
            Instant commitTime = Instant.ofEpochMilli(event.getHeader().getTimestamp());
            sink.accept(new Transaction(done.positionAfter, commitTime, done.changes));
        }
    }
}
