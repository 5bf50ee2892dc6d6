package io.switchyard.replication.binlog;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.MySqlGtid;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.XidEventData;
import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.Test;
import org.mariadb.jdbc.MariaDbDataSource;

import java.io.Serializable;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The assembler on a MySQL-flavour event sequence (GTID, BEGIN, TABLE_MAP, WRITE_ROWS, XID; then a DDL right after
 * its GTID, as MySQL logs DDL without BEGIN), built as the binlog client decodes them. The column names come from a
 * real server's information_schema, which is the same in both flavours.
 */
@Sandboxed("src:0")
class MySqlFlavorAssemblerIT {
    private static final String SERVER = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

    @Test
    void gtidSetsAdvanceTransactionByTransaction(Sandbox sandbox) throws Exception {
        MariaDbServer server = sandbox.primary("src", "0");
        server.execute("CREATE TABLE src.t (id INT PRIMARY KEY, v VARCHAR(10))");
        MariaDbDataSource data = new MariaDbDataSource(server.jdbcUrl("src"));
        List<BinlogEvent> delivered = new ArrayList<>();
        TransactionAssembler assembler = new TransactionAssembler(SERVER + ":1-10", Set.of(new TableName("src", "t")),
                new TableSchemas(data::getConnection), delivered::add, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));

        assembler.accept(event(EventType.GTID, gtid(11)));
        assembler.accept(event(EventType.QUERY, query("BEGIN")));
        TableMapEventData map = new TableMapEventData();
        map.setTableId(42);
        map.setDatabase("src");
        map.setTable("t");
        map.setColumnTypes(new byte[] {3, 15});
        assembler.accept(event(EventType.TABLE_MAP, map));
        WriteRowsEventData rows = new WriteRowsEventData();
        rows.setTableId(42);
        BitSet columns = new BitSet();
        columns.set(0, 2);
        rows.setIncludedColumns(columns);
        rows.setRows(List.<Serializable[]>of(new Serializable[] {7, "seven".getBytes()}));
        assembler.accept(event(EventType.EXT_WRITE_ROWS, rows));
        assembler.accept(event(EventType.XID, new XidEventData()));

        assembler.accept(event(EventType.GTID, gtid(12)));
        assembler.accept(event(EventType.QUERY, query("ALTER TABLE t ADD COLUMN w INT")));

        Transaction transaction = assertInstanceOf(Transaction.class, delivered.get(0));
        assertEquals(SERVER + ":1-11", transaction.gtid());
        assertEquals(1, transaction.changes().size());
        assertEquals(List.of("id", "v"), transaction.changes().get(0).columns());
        Ddl ddl = assertInstanceOf(Ddl.class, delivered.get(1));
        assertEquals(SERVER + ":1-12", ddl.gtid());
        assertEquals(SERVER + ":1-12", assembler.position());
    }

    private static GtidEventData gtid(long transaction) {
        return new GtidEventData(new MySqlGtid(UUID.fromString(SERVER), transaction), (byte) 1, 0, 0, 0, 0, 0, 0, 0);
    }

    private static QueryEventData query(String sql) {
        QueryEventData data = new QueryEventData();
        data.setDatabase("src");
        data.setSql(sql);
        return data;
    }

    private static Event event(EventType type, EventData data) {
        EventHeaderV4 header = new EventHeaderV4();
        header.setEventType(type);
        header.setTimestamp(1_000);
        return new Event(header, data);
    }
}
