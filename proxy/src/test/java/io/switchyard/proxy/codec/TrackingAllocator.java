package io.switchyard.proxy.codec;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * An allocator that remembers every buffer it hands out, so a test can assert that all of them were released.
 * PARANOID leak detection only logs, and through SLF4J, which has no provider in tests; this fails the test instead.
 * One per test; not thread-safe.
 */
public final class TrackingAllocator extends AbstractByteBufAllocator {
    private final List<ByteBuf> allocated = new ArrayList<>();

    public TrackingAllocator() {
        super(false);
    }

    /** A buffer from this allocator holding the bytes of a spaced hex string. */
    public ByteBuf hex(String hex) {
        byte[] bytes = Hex.bytes(hex);
        return buffer(bytes.length).writeBytes(bytes);
    }

    /** Fails if any buffer handed out is still referenced. */
    public void assertAllReleased() {
        List<String> leaks = new ArrayList<>();
        for (ByteBuf buf : allocated) {
            if (buf.refCnt() != 0) {
                leaks.add(buf + " refCnt=" + buf.refCnt());
            }
        }
        if (!leaks.isEmpty()) {
            fail(leaks.size() + " of " + allocated.size() + " buffers not released: " + leaks);
        }
    }

    public int allocations() {
        return allocated.size();
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return track(new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return track(new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity));
    }

    @Override
    public CompositeByteBuf compositeHeapBuffer(int maxNumComponents) {
        return track(new CompositeByteBuf(this, false, maxNumComponents));
    }

    @Override
    public CompositeByteBuf compositeDirectBuffer(int maxNumComponents) {
        return track(new CompositeByteBuf(this, true, maxNumComponents));
    }

    private <T extends ByteBuf> T track(T buf) {
        allocated.add(buf);
        return buf;
    }
}
