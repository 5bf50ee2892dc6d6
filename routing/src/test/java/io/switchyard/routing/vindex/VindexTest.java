package io.switchyard.routing.vindex;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class VindexTest {

    @Test
    void createsTheVindexOfAVschemaTypeName() {
        assertInstanceOf(HashVindex.class, Vindex.of("hash"));
        assertInstanceOf(XxhashVindex.class, Vindex.of("xxhash"));
        // The config module's enum constants (HASH, XXHASH) work too.
        assertEquals("hash", Vindex.of("HASH").type());
        assertEquals("xxhash", Vindex.of("XXHASH").type());
    }

    @Test
    void rejectsAnUnknownTypeListingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Vindex.of("binary_md5"));
        assertEquals("unknown vindex type 'binary_md5'; known types: hash, xxhash", e.getMessage());
    }

    @Test
    void dispatchesThroughTheInterface() {
        assertEquals("166b40b44aba4bd6", KeyspaceIds.toHex(Vindex.of("hash").keyspaceId(1L)));
        assertEquals("d46405367612b4b7", KeyspaceIds.toHex(Vindex.of("xxhash").keyspaceId(1L)));
    }
}
