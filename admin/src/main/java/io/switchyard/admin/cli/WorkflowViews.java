package io.switchyard.admin.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/** The human output of {@code switchyard workflow}: API JSON rendered as text. */
final class WorkflowViews {
    /** How many of the latest log entries {@code show} prints (the API returns up to 200). */
    static final int LOG_LINES = 10;
    /** How many of the latest lag-history points {@code show} prints. */
    static final int LAG_POINTS = 10;
    private static final int BAR_WIDTH = 30;

    private WorkflowViews() {
    }

    /** {@code workflow list}: one line a workflow. */
    static String list(JsonNode workflows) {
        if (workflows.isEmpty()) {
            return "No workflows.\n";
        }
        TextTable table = new TextTable("NAME", "TYPE", "STATE", "SOURCE", "TARGET", "TABLES", "CREATED AT",
                "DURATION", "LAG");
        for (JsonNode workflow : workflows) {
            List<String> tables = new ArrayList<>();
            workflow.path("tables").forEach(t -> tables.add(t.path("name").asText()));
            table.row(text(workflow, "name"), text(workflow, "type"), text(workflow, "state"),
                    text(workflow, "source_keyspace"), text(workflow, "target_keyspace"), String.join(",", tables),
                    text(workflow, "created_at"), seconds(workflow.path("duration_seconds")),
                    seconds(workflow.path("lag_seconds")));
        }
        return table.render();
    }

    /**
     * {@code workflow show}: the workflow's fields, its import (when it is one), tables, streams, lag history,
     * verification and latest logs. Parts the API leaves out (an older gateway) are left out here too.
     */
    static String show(JsonNode workflow) {
        StringBuilder out = new StringBuilder();
        field(out, "Name", text(workflow, "name"));
        field(out, "Type", text(workflow, "type"));
        field(out, "State", text(workflow, "state"));
        field(out, "Source keyspace", text(workflow, "source_keyspace"));
        field(out, "Target keyspace", text(workflow, "target_keyspace"));
        field(out, "Created at", text(workflow, "created_at"));
        field(out, "Duration", seconds(workflow.path("duration_seconds")));
        field(out, "Lag", seconds(workflow.path("lag_seconds")));
        if (workflow.path("import").isObject()) {
            importBlock(out, workflow.path("import"));
        }

        TextTable tables = new TextTable("TABLE", "STATE", "ROWS COPIED", "ROWS TOTAL", "PERCENT");
        workflow.path("tables").forEach(t -> tables.row(text(t, "name"), text(t, "state"), text(t, "rows_copied"),
                text(t, "rows_total"), text(t, "percent") + "%"));
        section(out, "Tables", tables);

        TextTable streams = new TextTable("SOURCE SHARD", "TARGET SHARD", "STATE", "LAG", "ROWS COPIED", "POSITION",
                "MESSAGE");
        workflow.path("streams").forEach(s -> streams.row(text(s, "source_shard"), text(s, "target_shard"),
                text(s, "state"), seconds(s.path("lag_seconds")), text(s, "rows_copied"), text(s, "position"),
                text(s, "message")));
        section(out, "Streams", streams);

        if (workflow.path("lag_history").isArray()) {
            lagHistory(out, workflow.path("lag_history"));
        }

        if (workflow.has("verification")) {
            section(out, "Verification", generic(workflow.path("verification")));
        }

        JsonNode logs = workflow.path("logs");
        TextTable latest = new TextTable("TIME", "LEVEL", "MESSAGE");
        for (int i = Math.max(0, logs.size() - LOG_LINES); i < logs.size(); i++) {
            JsonNode log = logs.get(i);
            latest.row(text(log, "created_at"), text(log, "level"), text(log, "message"));
        }
        section(out, "Latest logs", latest);
        return out.toString();
    }

    /**
     * An import's external side: where the external database is, whether the gateway reaches it now, the phase,
     * and which side serves primary and replica traffic.
     */
    private static void importBlock(StringBuilder out, JsonNode imported) {
        out.append("\nImport:\n");
        String port = text(imported, "port");
        field(out, "  External", text(imported, "external_keyspace") + " at " + text(imported, "host")
                + (port.equals("-") ? "" : ":" + port) + ", database " + text(imported, "database"));
        String connection = text(imported, "connection");
        // "down: <reason>" is the line an operator must not miss.
        field(out, "  Connection", connection.startsWith("down") ? "DOWN" + connection.substring(4) : connection);
        field(out, "  Phase", text(imported, "phase") + " (state " + text(imported, "state") + ")");
        field(out, "  Serving", "primary: " + text(imported, "primary_traffic") + ", replica: "
                + text(imported, "replica_traffic"));
        field(out, "  Target", text(imported, "target_keyspace") + " (shards " + text(imported, "target_shards")
                + ")");
        String replicas = text(imported, "replicas");
        field(out, "  Replicas", replicas.isEmpty() ? "-" : replicas);
    }

    /** The latest {@link #LAG_POINTS} points of the lag history, oldest first, with the largest lag of them all. */
    private static void lagHistory(StringBuilder out, JsonNode history) {
        long max = -1;
        for (JsonNode point : history) {
            max = Math.max(max, point.path("lag_seconds").asLong(-1));
        }
        int from = Math.max(0, history.size() - LAG_POINTS);
        out.append('\n').append("Lag history");
        if (history.isEmpty()) {
            out.append(":\n  (none)\n");
            return;
        }
        out.append(" (last ").append(history.size() - from).append(" of ").append(history.size()).append(" points")
                .append(max >= 0 ? ", max " + max + "s" : "").append("):\n");
        TextTable points = new TextTable("TIME", "LAG");
        for (int i = from; i < history.size(); i++) {
            points.row(text(history.get(i), "time"), seconds(history.get(i).path("lag_seconds")));
        }
        out.append(points.render());
    }

    /**
     * One frame of {@code --watch}: a bar, percentage and row count per table, the state and the lag. The state
     * line comes first so that a terminal too short for every table still shows it.
     */
    static String progress(JsonNode workflow, String now) {
        StringBuilder out = new StringBuilder();
        out.append("workflow ").append(text(workflow, "name")).append("  ").append(text(workflow, "source_keyspace"))
                .append(" -> ").append(text(workflow, "target_keyspace")).append("  state: ")
                .append(text(workflow, "state")).append("  lag: ").append(seconds(workflow.path("lag_seconds")))
                .append("  (").append(now).append(")\n");
        int nameWidth = 5;
        for (JsonNode table : workflow.path("tables")) {
            nameWidth = Math.max(nameWidth, text(table, "name").length());
        }
        for (JsonNode table : workflow.path("tables")) {
            long percent = Math.max(0, Math.min(100, table.path("percent").asLong(0)));
            int filled = (int) (percent * BAR_WIDTH / 100);
            out.append(String.format("  %-" + nameWidth + "s [%s%s] %3d%%  %s / %s rows  %s%n", text(table, "name"),
                    "#".repeat(filled), "-".repeat(BAR_WIDTH - filled), percent, text(table, "rows_copied"),
                    text(table, "rows_total"), text(table, "state")));
        }
        for (JsonNode stream : workflow.path("streams")) {
            String message = stream.path("message").isTextual() ? stream.path("message").asText() : "";
            out.append("  stream ").append(text(stream, "source_shard")).append(" -> ")
                    .append(text(stream, "target_shard")).append(": ").append(text(stream, "state"))
                    .append(message.isEmpty() ? "" : " (" + message + ")").append('\n');
        }
        return out.toString();
    }

    /** The rows a command answered with (a dry run's plan), as a table. */
    static String result(JsonNode rows) {
        return generic(rows).render();
    }

    /** A table of whatever fields the rows have, for sections whose columns this CLI does not know in advance. */
    private static TextTable generic(JsonNode rows) {
        List<String> fields = new ArrayList<>();
        if (!rows.isEmpty()) {
            for (Iterator<String> it = rows.get(0).fieldNames(); it.hasNext(); ) {
                fields.add(it.next());
            }
        }
        if (fields.isEmpty()) {
            return new TextTable("(none)");
        }
        TextTable table = new TextTable(fields.stream().map(f -> f.replace('_', ' ').toUpperCase(Locale.ROOT))
                .toArray(String[]::new));
        for (JsonNode row : rows) {
            table.row(fields.stream().map(f -> text(row, f)).toArray(String[]::new));
        }
        return table;
    }

    private static void field(StringBuilder out, String label, String value) {
        out.append(String.format("%-17s%s%n", label + ":", value));
    }

    private static void section(StringBuilder out, String title, TextTable table) {
        out.append('\n').append(title).append(":\n");
        out.append(table.isEmpty() ? "  (none)\n" : table.render());
    }

    /** A field as text; missing and null print as "-". */
    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? "-" : value.asText();
    }

    private static String seconds(JsonNode value) {
        return value.isNumber() ? value.asLong() + "s" : "-";
    }
}
