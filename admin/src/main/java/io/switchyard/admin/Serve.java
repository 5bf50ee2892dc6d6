package io.switchyard.admin;

import io.switchyard.config.ConfigLoader;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.proxy.server.GatewayServer;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/** {@code switchyard serve -c FILE}: validates the configuration and runs the gateway against existing servers. */
final class Serve {
    private Serve() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        if (args.length != 2 || !args[0].equals("-c")) {
            err.println("usage: switchyard serve -c FILE");
            return 2;
        }
        Path file = Path.of(args[1]);
        if (!Files.isReadable(file)) {
            err.println("switchyard: cannot read configuration file " + file.toAbsolutePath());
            return 1;
        }
        SwitchyardConfig config = ConfigLoader.load(file);
        Gateway gateway = Gateway.start(config, GatewayServer.Options.defaults(), Optional.empty());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
        }, "switchyard-shutdown"));
        out.printf("switchyard: serving %d keyspace(s); MySQL protocol on %s, HTTP on %s%n", config.keyspaces().size(),
                gateway.mysqlAddress(), gateway.httpAddress());
        stopped.await();
        return 0;
    }
}
