package io.switchyard.proxy.backend;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.resolver.InetSocketAddressResolver;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Resolves backend host names on {@code executor} instead of the event loop. Netty's default resolver calls the
 * JDK's blocking lookup on the loop that connects, so a slow DNS server would stall every session of that loop. IP
 * literals (the usual case) are parsed in place.
 */
final class OffLoopResolver extends AddressResolverGroup<InetSocketAddress> {
    private final Executor executor;

    OffLoopResolver(Executor executor) {
        this.executor = executor;
    }

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor loop) {
        return new InetSocketAddressResolver(loop, new InetNameResolver(loop) {
            @Override
            protected void doResolve(String host, Promise<InetAddress> promise) {
                byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
                if (literal != null) {
                    try {
                        promise.setSuccess(InetAddress.getByAddress(host, literal));
                    } catch (UnknownHostException e) {
                        promise.setFailure(e);
                    }
                    return;
                }
                offLoop(promise, () -> InetAddress.getByName(host));
            }

            @Override
            protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
                offLoop(promise, () -> Arrays.asList(InetAddress.getAllByName(host)));
            }
        });
    }

    private <T> void offLoop(Promise<T> promise, Lookup<T> lookup) {
        try {
            executor.execute(() -> {
                try {
                    promise.trySuccess(lookup.run());
                } catch (UnknownHostException e) {
                    promise.tryFailure(e);
                }
            });
        } catch (RejectedExecutionException e) {
            promise.tryFailure(e);
        }
    }

    @FunctionalInterface
    private interface Lookup<T> {
        T run() throws UnknownHostException;
    }
}
