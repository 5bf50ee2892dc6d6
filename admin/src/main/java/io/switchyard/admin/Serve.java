package io.switchyard.admin;

import io.switchyard.config.ConfigLoader;
import io.switchyard.config.SwitchyardConfig;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code switchyard serve -c FILE}: validates the configuration and runs the gateway against existing servers. */
final class Serve {
    private Serve() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
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
        out.printf("configuration %s is valid: %d keyspace(s)%n", file, config.keyspaces().size());
        err.println("switchyard: the gateway is not built yet (it arrives with the gateway issue); nothing to serve");
        return 1;
    }
}
