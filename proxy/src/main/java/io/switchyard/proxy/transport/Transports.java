package io.switchyard.proxy.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.util.concurrent.ThreadFactory;

/**
 * Netty's native epoll transport where the platform has it (Linux), NIO elsewhere. Epoll saves a copy and a few
 * system calls per read and write, which is most of what a relaying gateway does. A channel must match its event
 * loop's transport, so channel classes are derived from the group a channel is registered with.
 */
public final class Transports {
    private Transports() {
    }

    /** A new event loop group of the best transport available ({@code threads} 0: Netty's default count). */
    public static EventLoopGroup group(int threads, ThreadFactory threadFactory) {
        return Epoll.isAvailable() ? new EpollEventLoopGroup(threads, threadFactory)
                : new NioEventLoopGroup(threads, threadFactory);
    }

    public static Class<? extends ServerSocketChannel> serverChannel(EventLoopGroup group) {
        return group instanceof EpollEventLoopGroup ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public static Class<? extends SocketChannel> socketChannel(EventLoopGroup group) {
        return group instanceof EpollEventLoopGroup ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** Which transport a group uses, for logs. */
    public static String name(EventLoopGroup group) {
        return group instanceof EpollEventLoopGroup ? "epoll" : "nio";
    }
}
