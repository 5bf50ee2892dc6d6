package io.switchyard.proxy.backend;

import io.netty.channel.EventLoop;

import java.util.concurrent.CompletableFuture;

/**
 * A session waiting for a connection of {@code pool} because its server's budget was spent. Served by a returned
 * connection of the same pool, by the slot of a closed one, or failed by its timeout or by the server going down.
 *
 * @param loop where a new connection for it is opened
 */
record Waiter(BackendPool pool, EventLoop loop, CompletableFuture<BackendConnection> future) {
}
