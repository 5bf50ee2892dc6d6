package io.switchyard.replication.binlog;

/**
 * What a {@link BinlogStream} delivers, in source commit order, on the stream's own thread. Switch over the permitted
 * records:
 * <ul>
 *   <li>{@link Transaction}: the row changes of one source transaction on watched tables;</li>
 *   <li>{@link Ddl}: a schema change that names a watched table (the caller applies its {@code on_ddl} policy);</li>
 *   <li>{@link Heartbeat}: the source is idle; carries the position so an idle stream can still record progress.</li>
 * </ul>
 * Every event carries {@code gtid}: the source position after it, which the applier commits with its effect.
 */
public sealed interface BinlogEvent permits Transaction, Ddl, Heartbeat {
    /** The source position after this event, as a GTID string of the source's flavour. */
    String gtid();
}
