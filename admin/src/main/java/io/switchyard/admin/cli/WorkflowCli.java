package io.switchyard.admin.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;

/**
 * {@code switchyard workflow VERB ...}: the workflow CLI, a client of the gateway's JSON API mirroring
 * {@code pscale workflow}. Exit status 0 on success, 1 when the gateway refuses or cannot be reached (the message
 * is printed), 2 for a command line it cannot use.
 */
public final class WorkflowCli {
    static final String USAGE = """
            usage: switchyard workflow VERB [NAME] [FLAGS]
              list                                   the workflows, one a line
              show NAME [--watch]                    tables, streams, import, lag history, verification, logs
              create NAME --source KS --target KS (--tables t1,t2 | --all)
                     [--defer-secondary-keys=true|false] [--on-ddl STOP|IGNORE|EXEC|EXEC_IGNORE]
                     [--global-keyspace KS] [--stop-after-copy] [--copy-parallelism N] [--option k=v]...
                     [--watch]
              create NAME --import --from-external KS --to KS (--tables t1,t2 | --all) [same options]
                                                     import from an external keyspace (switchyard external)
              verify-data NAME                       compare source and target rows (VDiff)
              switch-traffic NAME [--replicas-only] [--dry-run]
              reverse-traffic NAME                   undo a traffic switch
              complete NAME [--keep-data | --rename-tables]
              cancel NAME [--keep-data]
              retry NAME | stop NAME | start NAME
            global flags:
              --host H (127.0.0.1)  --port P (15000, the HTTP port)  --user U (root)
              --password P (or SWITCHYARD_PASSWORD; default empty)  --format human|json (human)
              --gateway H:P, --gateway-user U, --gateway-password P: the same, as switchyard external takes them
              --watch redraws every second (--interval SECONDS) until the workflow leaves pending/copying
            """;
    private static final String PATH = "/api/v1/workflows";
    private static final Set<String> COPYING = Set.of("pending", "copying");
    private static final Set<String> VERBS = Set.of("show", "create", "verify-data", "switch-traffic",
            "reverse-traffic", "complete", "cancel", "retry", "stop", "start");
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    /** Clears an ANSI terminal and homes the cursor, so each --watch frame replaces the last. */
    private static final String CLEAR = "\033[H\033[2J";

    private final PrintStream out;
    private final ObjectMapper json = new ObjectMapper();
    private final boolean ansi;
    private final Clock clock;

    private WorkflowCli(PrintStream out, boolean ansi, Clock clock) {
        this.out = out;
        this.ansi = ansi;
        this.clock = clock;
    }

    /**
     * @param env  the environment ({@code SWITCHYARD_PASSWORD})
     * @param ansi whether {@code out} is a terminal that understands ANSI escapes (--watch redraws in place)
     */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, boolean ansi)
            throws InterruptedException {
        CliArgs cli;
        try {
            cli = CliArgs.parse(args);
            if (cli.on("help") || cli.positional().isEmpty()) {
                (cli.on("help") ? out : err).print(USAGE);
                return cli.on("help") ? 0 : 2;
            }
            return new WorkflowCli(out, ansi, Clock.systemUTC()).dispatch(cli, env);
        } catch (CliArgs.UsageException e) {
            err.println("switchyard workflow: " + e.getMessage());
            err.print(USAGE);
            return 2;
        } catch (ApiClient.Failure e) {
            err.println("switchyard workflow: " + e.getMessage() + (e.status() == 0 ? ""
                    : " (HTTP " + e.status() + (e.code() == 0 ? "" : ", error " + e.code()) + ")"));
            return 1;
        }
    }

    private int dispatch(CliArgs cli, Map<String, String> env)
            throws CliArgs.UsageException, ApiClient.Failure, InterruptedException {
        boolean asJson = cli.json();
        ApiClient api = ApiTarget.of(cli, env, true).client(json);
        String verb = cli.positional().get(0);
        if (verb.equals("list")) {
            cli.requireWords(1);
            JsonNode workflows = api.get(PATH).path("data");
            out.print(asJson ? pretty(workflows) : WorkflowViews.list(workflows));
            return 0;
        }
        if (!VERBS.contains(verb)) {
            throw new CliArgs.UsageException("unknown verb \"" + verb + "\"");
        }
        String name = cli.word(1, "workflow NAME after " + verb);
        cli.requireWords(2);
        JsonNode workflow = switch (verb) {
            case "show" -> api.get(PATH + "/" + name);
            case "create" -> api.post(PATH, createBody(cli, name));
            case "switch-traffic" -> api.post(PATH + "/" + name + "/switch-traffic", body(cli, "replicas-only",
                    "dry-run"));
            case "complete" -> api.post(PATH + "/" + name + "/complete", body(cli, "keep-data", "rename-tables"));
            case "cancel" -> api.post(PATH + "/" + name + "/cancel", body(cli, "keep-data"));
            case "verify-data", "reverse-traffic", "retry", "stop", "start" ->
                    api.post(PATH + "/" + name + "/" + verb, json.createObjectNode());
            default -> throw new IllegalStateException("verb " + verb + " is in VERBS but not handled");
        };
        if (cli.on("watch") && (verb.equals("show") || verb.equals("create"))) {
            if (verb.equals("create") && !asJson) {
                out.println(workflow.path("message").asText());
            }
            return watch(api, name, cli, asJson);
        }
        if (asJson) {
            out.print(pretty(workflow));
        } else if (verb.equals("show")) {
            out.print(WorkflowViews.show(workflow));
        } else {
            if (workflow.has("message")) {
                out.println(workflow.path("message").asText());
            }
            if (workflow.has("result")) {
                out.print(WorkflowViews.result(workflow.path("result")));
            }
            if (workflow.has("state")) {
                out.println("state: " + workflow.path("state").asText());
            }
        }
        return 0;
    }

    /**
     * Redraws the workflow's progress every interval until it leaves pending and copying; exit status 1 if it
     * ends in state error. With --format json, prints one JSON object a line instead.
     */
    private int watch(ApiClient api, String name, CliArgs cli, boolean asJson)
            throws ApiClient.Failure, InterruptedException, CliArgs.UsageException {
        Duration interval = Duration.ofMillis(Math.round(number(cli, "interval", 1) * 1000));
        while (true) {
            JsonNode workflow = api.get(PATH + "/" + name);
            String state = workflow.path("state").asText();
            if (asJson) {
                out.println(workflow);
            } else {
                out.print((ansi ? CLEAR : "\n") + WorkflowViews.progress(workflow, CLOCK.format(clock.instant())));
            }
            out.flush();
            if (!COPYING.contains(state)) {
                return state.equals("error") ? 1 : 0;
            }
            Thread.sleep(interval.toMillis());
        }
    }

    /**
     * The body of {@code POST /api/v1/workflows}: MoveTables from {@code --source} to {@code --target}, or with
     * {@code --import} an import from {@code --from-external} into {@code --to} (or {@code --target}).
     */
    private ObjectNode createBody(CliArgs cli, String name) throws CliArgs.UsageException {
        ObjectNode body = json.createObjectNode().put("name", name);
        if (cli.on("import")) {
            if (cli.flag("source").isPresent()) {
                throw new CliArgs.UsageException("an import reads --from-external KEYSPACE, not --source");
            }
            if (cli.flag("to").isPresent() && cli.flag("target").isPresent()) {
                throw new CliArgs.UsageException("give either --to or --target, not both");
            }
            body.put("type", "Import");
            body.put("external_keyspace", cli.flag("from-external").orElseThrow(() -> new CliArgs.UsageException(
                    "create --import needs --from-external KEYSPACE")));
            body.put("target_keyspace", cli.flag("to").or(() -> cli.flag("target")).orElseThrow(
                    () -> new CliArgs.UsageException("create --import needs --to KEYSPACE")));
        } else {
            if (cli.flag("from-external").isPresent() || cli.flag("to").isPresent()) {
                throw new CliArgs.UsageException("--from-external and --to are for create --import");
            }
            body.put("type", "MoveTables");
            body.put("source_keyspace", cli.flag("source").orElseThrow(() -> new CliArgs.UsageException(
                    "create needs --source KEYSPACE")));
            body.put("target_keyspace", cli.flag("target").orElseThrow(() -> new CliArgs.UsageException(
                    "create needs --target KEYSPACE")));
        }
        if (cli.on("all") == cli.flag("tables").isPresent()) {
            throw new CliArgs.UsageException("create needs either --tables t1,t2 or --all");
        }
        if (cli.on("all")) {
            body.put("tables", "all");
        } else {
            var tables = body.putArray("tables");
            for (String table : cli.flag("tables").get().split(",")) {
                if (!table.isBlank()) {
                    tables.add(table.strip());
                }
            }
        }
        ObjectNode options = body.putObject("options");
        cli.flag("defer-secondary-keys").ifPresent(v -> options.put("defer_secondary_keys", Boolean.parseBoolean(v)));
        cli.flag("on-ddl").ifPresent(v -> options.put("on_ddl", v));
        cli.flag("global-keyspace").ifPresent(v -> options.put("global_keyspace", v));
        cli.flag("stop-after-copy").ifPresent(v -> options.put("stop_after_copy", Boolean.parseBoolean(v)));
        if (cli.flag("copy-parallelism").isPresent()) {
            options.put("copy_parallelism", (int) number(cli, "copy-parallelism", 0));
        }
        for (String option : cli.all("option")) {
            option(options, option);
        }
        return body;
    }

    /**
     * {@code --option k=v}: any {@code WITH (...)} option by its SQL name, for those without a flag of their own;
     * true/false go as booleans, whole numbers as numbers, anything else as a string. The API checks them.
     */
    static void option(ObjectNode options, String option) throws CliArgs.UsageException {
        int eq = option.indexOf('=');
        if (eq <= 0) {
            throw new CliArgs.UsageException("--option " + option + ": write name=value, e.g. copy_parallelism=4");
        }
        String key = option.substring(0, eq).strip();
        String value = option.substring(eq + 1).strip();
        if (value.equals("true") || value.equals("false")) {
            options.put(key, Boolean.parseBoolean(value));
        } else if (value.matches("-?\\d{1,9}")) {
            options.put(key, Integer.parseInt(value));
        } else {
            options.put(key, value);
        }
    }

    /** A body of the given switches as snake_case booleans: --replicas-only → {"replicas_only": true}. */
    private ObjectNode body(CliArgs cli, String... switches) {
        ObjectNode body = json.createObjectNode();
        for (String name : switches) {
            cli.flag(name).ifPresent(v -> body.put(name.replace('-', '_'), Boolean.parseBoolean(v)));
        }
        return body;
    }

    private static double number(CliArgs cli, String flag, double fallback) throws CliArgs.UsageException {
        String value = cli.flag(flag).orElse(null);
        if (value == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new CliArgs.UsageException("--" + flag + " " + value + ": not a number");
        }
    }

    private String pretty(JsonNode node) {
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }
}
