package io.switchyard.admin;

import io.switchyard.admin.cli.ExternalCli;
import io.switchyard.admin.cli.WorkflowCli;
import io.switchyard.admin.demo.Demo;
import io.switchyard.config.ConfigException;
import io.switchyard.sandbox.SandboxException;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * The {@code switchyard} command line: {@code demo}, {@code serve -c FILE}, {@code workflow ...},
 * {@code external ...}, {@code help}.
 */
public final class Main {
    private static final String USAGE = """
            usage: switchyard COMMAND
              demo            start a local sandbox cluster with sample data (Ctrl-C stops it and removes its data)
              serve -c FILE   run the gateway with the configuration in FILE
              workflow VERB   list, show, create, verify-data, switch-traffic, reverse-traffic, complete, cancel,
                              retry, stop, start workflows over the HTTP API (switchyard workflow --help)
              external VERB   list, show, create, validate, add-replica, drop-replica, drop external keyspaces
                              (databases to import from) over the HTTP API (switchyard external --help)
              test            (launcher only) install what the tests need and run the whole suite
              help            this text
            """;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.print(USAGE);
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (args[0]) {
                case "demo" -> new Demo(out).runUntilInterrupted();
                case "serve" -> {
                    return Serve.run(rest, out, err);
                }
                case "workflow" -> {
                    return WorkflowCli.run(rest, out, err, System.getenv(), System.console() != null);
                }
                case "external" -> {
                    return ExternalCli.run(rest, out, err, System.getenv(), ExternalCli.terminalPrompt());
                }
                case "help", "-h", "--help" -> out.print(USAGE);
                default -> {
                    err.println("switchyard: unknown command \"" + args[0] + "\"");
                    err.print(USAGE);
                    return 2;
                }
            }
            return 0;
        } catch (ConfigException e) {
            err.println("switchyard: invalid configuration:");
            err.println(e.getMessage());
            return 1;
        } catch (SandboxException e) {
            err.println("switchyard: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        } catch (Exception e) {
            if (e instanceof java.net.BindException) {
                // Netty rethrows the bind failure unchecked; say which setting to change.
                err.println("switchyard: cannot listen: " + e.getMessage() + " (a port of listeners.mysql_port /"
                        + " listeners.http_port is taken; stop the other process or change the port)");
                return 1;
            }
            throw e;
        }
    }
}
