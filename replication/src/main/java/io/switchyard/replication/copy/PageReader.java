package io.switchyard.replication.copy;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;

/**
 * Reads a copy's pages on its own thread, a bounded number ahead of the targets, so that the source's next SELECT
 * overlaps the targets' INSERTs of the current page. The reader owns the source connection (and so the snapshot)
 * until {@link #close}.
 *
 * <p>Each page after the first continues after the previous page's last row. Once a page ends past every target's
 * old lastpk, the skip columns are all false from there on and later pages are read without them. A page cut short
 * by the byte bound makes later pages ask for that many rows, so wide rows are not read and dropped again and again.
 */
final class PageReader implements AutoCloseable {
    /** A page with the lastpk it ends at, or the end of the table, or the reader's failure. */
    sealed interface Item {
    }

    record Next(PageQuery.Page page, LastPk end) implements Item {
    }

    record End() implements Item {
    }

    record Failed(Exception failure) implements Item {
    }

    private final SourceTable table;
    private final Connection source;
    private final BlockingQueue<Item> queue;
    private final Thread thread;
    private PageQuery query;
    private Optional<LastPk> after;

    private PageReader(SourceTable table, Connection source, PageQuery query, Optional<LastPk> after, int ahead,
                       ThreadFactory threads) {
        this.table = table;
        this.source = source;
        this.query = query;
        this.after = after;
        this.queue = new ArrayBlockingQueue<>(ahead);
        this.thread = threads.newThread(this::run);
    }

    /** Starts reading pages after {@code after} (from the start when empty). */
    static PageReader start(SourceTable table, Connection source, PageQuery query, Optional<LastPk> after, int ahead,
                            ThreadFactory threads) {
        PageReader reader = new PageReader(table, source, query, after, ahead, threads);
        reader.thread.start();
        return reader;
    }

    /** The next page, waiting for it; {@link End} after the last one. */
    Item take() throws InterruptedException {
        return queue.take();
    }

    private void run() {
        try {
            while (true) {
                PageQuery.Page page = query.read(source, after);
                if (page.rows().isEmpty()) {
                    queue.put(new End());
                    return;
                }
                LastPk end = LastPk.of(table, page.rows().get(page.rows().size() - 1));
                if (query.hasSkipColumns() && !anySkipped(page.skips().get(page.skips().size() - 1))) {
                    query = query.withoutSkips(); // past every target's old lastpk
                }
                if (page.cut()) {
                    query = query.withLimit(page.rows().size());
                }
                queue.put(new Next(page, end));
                if (page.last()) {
                    queue.put(new End());
                    return;
                }
                after = Optional.of(end);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the copy stopped taking pages: end quietly
        } catch (SQLException | RuntimeException e) {
            try {
                queue.put(new Failed(e));
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean anySkipped(boolean[] skips) {
        for (boolean skip : skips) {
            if (skip) {
                return true;
            }
        }
        return false;
    }

    /** Stops reading and waits for the thread, so the caller may close the source connection. */
    @Override
    public void close() {
        thread.interrupt();
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
