package io.switchyard.admin.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.switchyard.admin.cli.WorkflowViews.text;

/** The human output of {@code switchyard external}: API JSON rendered as text. */
final class ExternalViews {
    /**
     * The admin SQL's refusal of a CREATE whose hard checks failed: {@code external keyspace ks was not created: N
     * check(s) failed: [check] message | [check] message. Fix them and run CREATE EXTERNAL KEYSPACE again, ...}.
     */
    private static final Pattern NOT_CREATED = Pattern.compile("(?s).*?(external keyspace \\w+ was not created: \\d+"
            + " check\\(s\\) failed): (.*)\\. Fix them and run CREATE EXTERNAL KEYSPACE again.*");
    private static final Pattern FAILURE = Pattern.compile("(?s)\\[(\\w+)] (.*)");

    private ExternalViews() {
    }

    /** {@code external list}: one line a keyspace. */
    static String list(JsonNode keyspaces) {
        if (keyspaces.isEmpty()) {
            return "No external keyspaces.\n";
        }
        TextTable table = new TextTable("NAME", "HOST", "PORT", "DATABASE", "USER", "AUTH", "SSL MODE", "REPLICAS");
        for (JsonNode k : keyspaces) {
            table.row(text(k, "name"), text(k, "host"), text(k, "port"), text(k, "database"), text(k, "user"),
                    text(k, "auth"), text(k, "ssl_mode"), replicas(k));
        }
        return table.render();
    }

    /** {@code external show}: every setting the API gives (it never gives a password or a key). */
    static String show(JsonNode k) {
        StringBuilder out = new StringBuilder();
        field(out, "Name", text(k, "name"));
        field(out, "Host", text(k, "host") + ":" + text(k, "port"));
        field(out, "Database", text(k, "database"));
        field(out, "User", text(k, "user"));
        field(out, "Auth", text(k, "auth"));
        field(out, "SSL mode", text(k, "ssl_mode"));
        field(out, "SSL CA", text(k, "ssl_ca"));
        field(out, "TLS min version", text(k, "tls_min_version"));
        field(out, "SSL server name", text(k, "ssl_server_name"));
        field(out, "Import conns", text(k, "import_connections"));
        field(out, "Replicas", replicas(k));
        return out.toString();
    }

    /**
     * Validation rows as a table, failures marked with {@code !} and a FAIL status so they stand out, then a
     * summary line naming the failed checks. A create's own last row ({@code create}, its outcome) is left out:
     * the caller prints that message after the summary.
     */
    static String validation(JsonNode rows) {
        TextTable table = new TextTable("", "CHECK", "TABLE", "STATUS", "MESSAGE");
        List<String> failed = new ArrayList<>();
        int skippable = 0;
        for (JsonNode row : rows) {
            if (text(row, "check").equals("create")) {
                continue;
            }
            String status = text(row, "status");
            boolean fail = status.equals("fail");
            if (fail) {
                failed.add(text(row, "check"));
            }
            skippable += status.equals("skippable") ? 1 : 0;
            table.row(fail ? "!" : "", text(row, "check"), text(row, "table"), fail ? "FAIL" : status,
                    text(row, "message"));
        }
        String summary = failed.isEmpty() ? "All hard checks passed" : failed.size() + " check(s) FAILED: "
                + String.join(", ", failed);
        return table.render() + "\n" + summary + (skippable == 0 ? "" : "; " + skippable + " skippable") + ".\n";
    }

    /**
     * A create refused by validation: the failed checks as a table. Empty for any other message (a bad setting,
     * a name taken), which is printed as it came.
     */
    static Optional<String> refused(String message) {
        Matcher m = NOT_CREATED.matcher(message);
        if (!m.matches()) {
            return Optional.empty();
        }
        TextTable table = new TextTable("", "CHECK", "STATUS", "MESSAGE");
        for (String failure : m.group(2).split(" \\| ")) {
            Matcher f = FAILURE.matcher(failure.strip());
            if (f.matches()) {
                table.row("!", f.group(1), "FAIL", f.group(2));
            } else {
                table.row("!", "-", "FAIL", failure.strip());
            }
        }
        return Optional.of(m.group(1) + ":\n" + table.render() + "\nNothing was stored. Fix the failures and run"
                + " create again, or add --skip-validation to store it anyway.\n");
    }

    private static String replicas(JsonNode k) {
        List<String> replicas = new ArrayList<>();
        k.path("replicas").forEach(r -> replicas.add(r.asText()));
        return replicas.isEmpty() ? "-" : String.join(",", replicas);
    }

    private static void field(StringBuilder out, String label, String value) {
        out.append(String.format("%-17s%s%n", label + ":", value));
    }
}
