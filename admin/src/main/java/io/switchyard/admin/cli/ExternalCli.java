package io.switchyard.admin.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code switchyard external VERB ...}: external keyspaces (databases to import from) over the gateway's JSON API.
 * The external database's password never comes from a plain argument, which any user could read in {@code ps}: it
 * comes from a file, an environment variable, or a prompt on a terminal. Exit status 0 on success, 1 when the
 * gateway refuses (a create whose checks failed, a validate with a failed check) or cannot be reached, 2 for a
 * command line it cannot use.
 */
public final class ExternalCli {
    static final String USAGE = """
            usage: switchyard external VERB [NAME] [FLAGS]
              list                                   the external keyspaces, one a line
              show NAME                              its settings (never its password or key)
              create NAME --host H [--port N] [--database D] --user U
                     (--password-file FILE | --password-env VAR | --ssl-cert FILE --ssl-key FILE)
                     [--ssl-mode DISABLED|PREFERRED|REQUIRED|VERIFY_CA|VERIFY_IDENTITY] [--ssl-ca FILE]
                     [--tls-min-version V] [--ssl-server-name N] [--import-connections N] [--skip-validation]
                                                     validates, then stores it; without a password source, asks
                                                     on the terminal
              validate NAME                          run the checks again; exit 1 if one fails
              add-replica NAME HOST[:PORT]           a read replica (the gateway logs in to it first)
              drop-replica NAME HOST[:PORT]
              drop NAME                              forget it and its stored credentials
            global flags:
              --gateway H[:P] (127.0.0.1:15000, the HTTP port)  --gateway-user U (root)
              --gateway-password P (or SWITCHYARD_PASSWORD; default empty)  --format human|json (human)
              (--host, --port, --user describe the external database here, not the gateway)
            """;
    private static final String PATH = "/api/v1/external-keyspaces";
    private static final Set<String> NAMED_VERBS = Set.of("show", "create", "validate", "add-replica",
            "drop-replica", "drop");
    /** In {@code create}, the external database's; anywhere else a likely mix-up with the gateway's flags. */
    private static final List<String> DATABASE_FLAGS = List.of("host", "port", "user", "database", "password-file",
            "password-env", "ssl-cert", "ssl-key", "ssl-mode", "ssl-ca", "tls-min-version", "ssl-server-name",
            "import-connections", "skip-validation");

    /** Asks for a secret without echoing it; empty when there is no terminal to ask on. */
    @FunctionalInterface
    public interface SecretPrompt {
        Optional<String> ask(String prompt);
    }

    private final PrintStream out;
    private final Map<String, String> env;
    private final SecretPrompt prompt;
    private final ObjectMapper json = new ObjectMapper();

    private ExternalCli(PrintStream out, Map<String, String> env, SecretPrompt prompt) {
        this.out = out;
        this.env = env;
        this.prompt = prompt;
    }

    /** The process's terminal ({@link System#console()}), or no prompt when input or output is not a terminal. */
    public static SecretPrompt terminalPrompt() {
        Console console = System.console();
        return text -> Optional.ofNullable(console).map(c -> c.readPassword("%s", text)).map(String::new);
    }

    /**
     * @param env    the environment: {@code SWITCHYARD_PASSWORD} and whatever {@code --password-env} names
     * @param prompt where create asks for the password when no file or variable gives it
     */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env,
                          SecretPrompt prompt) throws InterruptedException {
        CliArgs cli;
        try {
            cli = CliArgs.parse(args);
            if (cli.on("help") || cli.positional().isEmpty()) {
                (cli.on("help") ? out : err).print(USAGE);
                return cli.on("help") ? 0 : 2;
            }
            return new ExternalCli(out, env, prompt).dispatch(cli, err);
        } catch (CliArgs.UsageException e) {
            err.println("switchyard external: " + e.getMessage());
            err.print(USAGE);
            return 2;
        } catch (ApiClient.Failure e) {
            err.println("switchyard external: " + e.getMessage() + (e.status() == 0 ? ""
                    : " (HTTP " + e.status() + (e.code() == 0 ? "" : ", error " + e.code()) + ")"));
            return 1;
        }
    }

    private int dispatch(CliArgs cli, PrintStream err)
            throws CliArgs.UsageException, ApiClient.Failure, InterruptedException {
        boolean asJson = cli.json();
        String verb = cli.positional().get(0);
        if (!verb.equals("list") && !NAMED_VERBS.contains(verb)) {
            throw new CliArgs.UsageException("unknown verb \"" + verb + "\"");
        }
        if (cli.flag("password").isPresent()) {
            throw new CliArgs.UsageException("--password is not taken here: the external database's password comes"
                    + " from --password-file, --password-env or a prompt; the gateway's from SWITCHYARD_PASSWORD or"
                    + " --gateway-password");
        }
        if (!verb.equals("create")) {
            for (String flag : DATABASE_FLAGS) {
                if (cli.flag(flag).isPresent()) {
                    throw new CliArgs.UsageException("--" + flag + " is for create" + (flag.equals("host")
                            || flag.equals("port") || flag.equals("user") ? "; the gateway is --gateway HOST:PORT"
                            + " and --gateway-user" : ""));
                }
            }
        }
        ApiClient api = ApiTarget.of(cli, env, false).client(json);
        if (verb.equals("list")) {
            cli.requireWords(1);
            JsonNode keyspaces = api.get(PATH).path("data");
            out.print(asJson ? pretty(keyspaces) : ExternalViews.list(keyspaces));
            return 0;
        }
        String name = cli.word(1, "external keyspace NAME after " + verb);
        String path = PATH + "/" + segment(name);
        cli.requireWords(verb.endsWith("-replica") ? 3 : 2);
        switch (verb) {
            case "create" -> {
                return create(api, cli, name, asJson, err);
            }
            case "validate" -> {
                JsonNode validated = api.post(path + "/validate", json.createObjectNode());
                out.print(asJson ? pretty(validated) : ExternalViews.validation(validated.path("validation")));
                boolean failed = false;
                for (JsonNode row : validated.path("validation")) {
                    failed |= row.path("status").asText().equals("fail");
                }
                return failed ? 1 : 0;
            }
            case "add-replica", "drop-replica" -> {
                String replica = cli.word(2, "HOST[:PORT] of the replica after " + verb + " " + name);
                JsonNode changed = verb.equals("add-replica")
                        ? api.post(path + "/replicas", replicaBody(replica))
                        : api.delete(path + "/replicas/" + segment(replica));
                out.print(asJson ? pretty(changed) : changed.path("message").asText() + "\n");
                return 0;
            }
            case "drop" -> {
                JsonNode dropped = api.delete(path);
                out.print(asJson ? pretty(dropped) : dropped.path("message").asText() + "\n");
                return 0;
            }
            default -> {
                JsonNode shown = api.get(path);
                out.print(asJson ? pretty(shown) : ExternalViews.show(shown));
                return 0;
            }
        }
    }

    /** Create, printing the validation rows; a refusal prints the failed checks and exits 1. */
    private int create(ApiClient api, CliArgs cli, String name, boolean asJson, PrintStream err)
            throws CliArgs.UsageException, ApiClient.Failure, InterruptedException {
        ObjectNode body = createBody(cli, name);
        JsonNode created;
        try {
            created = api.post(PATH, body);
        } catch (ApiClient.Failure e) {
            Optional<String> failedChecks = asJson ? Optional.empty() : ExternalViews.refused(e.getMessage());
            if (failedChecks.isEmpty()) {
                throw e;
            }
            err.print("switchyard external: " + failedChecks.get());
            err.println("(HTTP " + e.status() + ", error " + e.code() + ")");
            return 1;
        }
        if (asJson) {
            out.print(pretty(created));
        } else {
            out.print(ExternalViews.validation(created.path("validation")));
            out.println(created.path("message").asText());
        }
        return 0;
    }

    private ObjectNode createBody(CliArgs cli, String name) throws CliArgs.UsageException {
        ObjectNode body = json.createObjectNode().put("name", name);
        body.put("host", cli.flag("host").orElseThrow(() -> new CliArgs.UsageException("create needs --host HOST,"
                + " the external database's")));
        cli.integer("port").ifPresent(port -> body.put("port", port));
        cli.flag("database").ifPresent(database -> body.put("database", database));
        String user = cli.flag("user").orElseThrow(() -> new CliArgs.UsageException("create needs --user USER,"
                + " the external database's"));
        body.put("user", user);
        boolean certificate = cli.flag("ssl-cert").isPresent() || cli.flag("ssl-key").isPresent();
        boolean passwordGiven = cli.flag("password-file").isPresent() || cli.flag("password-env").isPresent();
        if (certificate && passwordGiven) {
            throw new CliArgs.UsageException("give a password (--password-file or --password-env) or a client"
                    + " certificate (--ssl-cert and --ssl-key), not both");
        }
        if (cli.flag("password-file").isPresent() && cli.flag("password-env").isPresent()) {
            throw new CliArgs.UsageException("give --password-file or --password-env, not both");
        }
        if (certificate) {
            body.put("ssl_cert", read("ssl-cert", cli.flag("ssl-cert").orElseThrow(() -> new CliArgs.UsageException(
                    "--ssl-key needs --ssl-cert FILE, the client certificate"))));
            body.put("ssl_key", read("ssl-key", cli.flag("ssl-key").orElseThrow(() -> new CliArgs.UsageException(
                    "--ssl-cert needs --ssl-key FILE, its private key"))));
        } else {
            body.put("password", password(cli, user));
        }
        cli.flag("ssl-mode").ifPresent(mode -> body.put("ssl_mode", mode));
        if (cli.flag("ssl-ca").isPresent()) {
            body.put("ssl_ca", read("ssl-ca", cli.flag("ssl-ca").get()));
        }
        cli.flag("tls-min-version").ifPresent(version -> body.put("tls_min_version", version));
        cli.flag("ssl-server-name").ifPresent(server -> body.put("ssl_server_name", server));
        cli.integer("import-connections").ifPresent(n -> body.put("import_connections", n));
        if (cli.on("skip-validation")) {
            body.put("skip_validation", true);
        }
        return body;
    }

    /**
     * The external password: the file's content without one trailing line break (as {@code echo} and editors
     * leave it), the variable's value, or what the terminal prompt reads.
     */
    private String password(CliArgs cli, String user) throws CliArgs.UsageException {
        if (cli.flag("password-file").isPresent()) {
            String text = read("password-file", cli.flag("password-file").get());
            return text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                    : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        }
        if (cli.flag("password-env").isPresent()) {
            String variable = cli.flag("password-env").get();
            String value = env.get(variable);
            if (value == null) {
                throw new CliArgs.UsageException("--password-env " + variable + ": the variable is not set");
            }
            return value;
        }
        return prompt.ask("Password of " + user + " on the external database: ").orElseThrow(
                () -> new CliArgs.UsageException("create needs the external database's password: --password-file"
                        + " FILE or --password-env VAR (no terminal to ask on), or --ssl-cert/--ssl-key"));
    }

    private ObjectNode replicaBody(String replica) throws CliArgs.UsageException {
        ObjectNode body = json.createObjectNode();
        String host = replica;
        String port = null;
        if (replica.startsWith("[") && replica.contains("]")) {
            host = replica.substring(1, replica.indexOf(']'));
            String rest = replica.substring(replica.indexOf(']') + 1);
            port = rest.startsWith(":") ? rest.substring(1) : null;
        } else if (replica.indexOf(':') >= 0 && replica.indexOf(':') == replica.lastIndexOf(':')) {
            host = replica.substring(0, replica.indexOf(':'));
            port = replica.substring(replica.indexOf(':') + 1);
        }
        body.put("host", host);
        if (port != null) {
            try {
                body.put("port", Integer.parseInt(port));
            } catch (NumberFormatException e) {
                throw new CliArgs.UsageException("replica " + replica + ": the port is not a number");
            }
        }
        return body;
    }

    private static String read(String flag, String file) throws CliArgs.UsageException {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new CliArgs.UsageException("--" + flag + " " + file + ": cannot read it (" + e + ")");
        }
    }

    /** A path segment as the API's URL needs it ({@code [fd00::8]:3306} has characters a URI path may not). */
    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private String pretty(JsonNode node) {
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }
}
