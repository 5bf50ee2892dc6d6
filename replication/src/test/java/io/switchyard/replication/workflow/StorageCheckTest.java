package io.switchyard.replication.workflow;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StorageCheckTest {
    private static final long GIB = 1L << 30;

    @Test
    void eachShardNeedsTwiceItsShareRoundedUp() {
        assertEquals(20 * GIB, StorageCheck.needed(10 * GIB, 1), "the rows and their binlog");
        assertEquals(5 * GIB, StorageCheck.needed(10 * GIB, 4));
        assertEquals(4, StorageCheck.needed(3, 2), "a share is rounded up, never down");
        assertEquals(0, StorageCheck.needed(0, 3));
    }

    @Test
    void tooLittleSpaceFailsAndSaysWhatToDo() {
        StorageCheck.Verdict short_ = new StorageCheck.Verdict("-80", 20 * GIB, OptionalLong.of(3 * GIB));
        assertFalse(short_.enough());
        assertEquals("target keyspace customer shard -80 needs about 20.0 GiB (its share of the tables' data and"
                + " indexes, twice: the rows and their binary log); the disk holding its datadir has 3.0 GiB free."
                + " Free space or grow the disk there, add shards to the target, or move fewer tables; WITH"
                + " (check_storage = false) creates the workflow anyway", StorageCheck.message("customer", short_));
        assertTrue(new StorageCheck.Verdict("0", 20 * GIB, OptionalLong.of(20 * GIB)).enough(), "exactly enough");
    }

    @Test
    void unknownFreeSpaceNeverBlocks() {
        StorageCheck.Verdict unknown = new StorageCheck.Verdict("0", 1024, OptionalLong.empty());
        assertTrue(unknown.enough());
        assertTrue(StorageCheck.message("commerce", unknown).contains("its free space is unknown: on MariaDB,"
                + " INSTALL SONAME 'disks'"));
    }

    @Test
    void sizesReadLikeDf() {
        assertEquals("512 B", StorageCheck.size(512));
        assertEquals("1.5 KiB", StorageCheck.size(1536));
        assertEquals("2.0 TiB", StorageCheck.size(2048 * GIB));
    }

    @Test
    void lagHistoryBucketsKeepAboutMaxPoints() {
        assertEquals(1, LagHistory.bucketSeconds(0));
        assertEquals(1, LagHistory.bucketSeconds(359));
        long week = 7 * 24 * 3600;
        long bucket = LagHistory.bucketSeconds(week);
        assertTrue(week / bucket + 1 <= LagHistory.MAX_POINTS + 1, "a week in at most about 360 points: " + bucket);
    }
}
