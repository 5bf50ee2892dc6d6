package io.switchyard.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.switchyard.proxy.codec.MySqlError;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static io.switchyard.admin.api.JsonFields.flag;
import static io.switchyard.admin.api.JsonFields.object;
import static io.switchyard.admin.api.JsonFields.text;

/**
 * Translates API requests into admin SQL statements, so the API does exactly what the same statement does on the
 * MySQL port. Every name and value is checked against a strict pattern before it goes into the SQL text: the API
 * never builds a statement from text it has not validated.
 */
public final class WorkflowStatements {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final Set<String> MOVE_TABLES_FIELDS =
            Set.of("name", "type", "source_keyspace", "target_keyspace", "tables", "options");
    private static final Set<String> IMPORT_FIELDS =
            Set.of("name", "type", "external_keyspace", "target_keyspace", "tables", "options");

    private WorkflowStatements() {
    }

    /** A workflow, keyspace, table or option name, or a 400 saying which field is wrong. */
    public static String name(String field, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw ApiError.badRequest(field + " '" + value + "' is not a name (letters, digits and _,"
                    + " at most 64)").failure();
        }
        return value;
    }

    /**
     * {@code POST /api/v1/workflows}, by {@code type}:
     * <ul>
     * <li>{@code "MoveTables"} (the default): {@code {name, source_keyspace, target_keyspace, tables: [...] | "all",
     * options: {defer_secondary_keys, on_ddl, global_keyspace, stop_after_copy, copy_parallelism}}} →
     * {@code CREATE WORKFLOW ... MOVE TABLES ... FROM ... TO ... WITH (...)};</li>
     * <li>{@code "Import"}: {@code {name, external_keyspace, target_keyspace, tables, options}} →
     * {@code CREATE WORKFLOW ... IMPORT ... FROM EXTERNAL ... INTO ... WITH (...)}.</li>
     * </ul>
     * Options are passed through by name, so the SQL side decides which exist and which values are valid.
     */
    public static String create(JsonNode body) {
        JsonNode typeField = body == null ? null : body.get("type");
        if (typeField != null && !typeField.isNull() && !typeField.isTextual()) {
            throw ApiError.badRequest("type: a string, \"MoveTables\" or \"Import\"").failure();
        }
        String type = typeField != null && typeField.isTextual() ? typeField.asText() : "MoveTables";
        boolean isImport = type.equalsIgnoreCase("Import");
        if (!isImport && !type.equalsIgnoreCase("MoveTables")) {
            throw ApiError.badRequest("type '" + type + "': use \"MoveTables\" or \"Import\"").failure();
        }
        ObjectNode object = object(body, isImport ? IMPORT_FIELDS : MOVE_TABLES_FIELDS);
        String name = name("name", text(object, "name"));
        String target = name("target_keyspace", text(object, "target_keyspace"));
        StringBuilder sql = new StringBuilder("CREATE WORKFLOW ").append(name);
        if (isImport) {
            String external = name("external_keyspace", text(object, "external_keyspace"));
            sql.append(" IMPORT ").append(tables(object.get("tables"))).append(" FROM EXTERNAL ").append(external)
                    .append(" INTO ").append(target);
        } else {
            String source = name("source_keyspace", text(object, "source_keyspace"));
            sql.append(" MOVE TABLES ").append(tables(object.get("tables"))).append(" FROM ").append(source)
                    .append(" TO ").append(target);
        }
        List<String> options = options(object.get("options"));
        if (!options.isEmpty()) {
            sql.append(" WITH (").append(String.join(", ", options)).append(')');
        }
        return sql.toString();
    }

    /** {@code POST .../{name}/{action}} with its optional body → the statement; a 404 for an unknown action. */
    public static String action(String workflow, String action, JsonNode body) {
        String name = name("workflow", workflow);
        return switch (action) {
            case "verify-data" -> {
                object(body, Set.of());
                yield "VERIFY WORKFLOW " + name;
            }
            case "switch-traffic" -> {
                ObjectNode flags = object(body, Set.of("replicas_only", "dry_run"));
                yield "SWITCH TRAFFIC FOR WORKFLOW " + name + (flag(flags, "replicas_only") ? " REPLICAS ONLY" : "")
                        + (flag(flags, "dry_run") ? " DRY RUN" : "");
            }
            case "reverse-traffic" -> {
                object(body, Set.of());
                yield "REVERSE TRAFFIC FOR WORKFLOW " + name;
            }
            case "complete" -> {
                ObjectNode flags = object(body, Set.of("keep_data", "rename_tables"));
                boolean keep = flag(flags, "keep_data");
                boolean rename = flag(flags, "rename_tables");
                if (keep && rename) {
                    throw ApiError.badRequest("keep_data and rename_tables: choose one (KEEP DATA leaves the source"
                            + " tables as they are, RENAME TABLES keeps them under a new name)").failure();
                }
                yield "COMPLETE WORKFLOW " + name + (keep ? " KEEP DATA" : rename ? " RENAME TABLES" : "");
            }
            case "cancel" -> {
                ObjectNode flags = object(body, Set.of("keep_data"));
                yield "CANCEL WORKFLOW " + name + (flag(flags, "keep_data") ? " KEEP DATA" : "");
            }
            case "retry", "stop", "start" -> {
                object(body, Set.of());
                yield action.toUpperCase(Locale.ROOT) + " WORKFLOW " + name;
            }
            default -> throw new ApiError(HttpResponseStatus.NOT_FOUND, MySqlError.ER_UNKNOWN_ERROR.code(),
                    "no action '" + action + "'; POST one of " + String.join(", ", actions())).failure();
        };
    }

    /** The actions {@link #action} knows, for error messages and docs. */
    public static List<String> actions() {
        return List.of("verify-data", "switch-traffic", "reverse-traffic", "complete", "cancel", "retry", "stop",
                "start");
    }

    private static String tables(JsonNode tables) {
        if (tables != null && tables.isTextual() && tables.asText().equalsIgnoreCase("all")) {
            return "ALL";
        }
        if (tables == null || !tables.isArray() || tables.isEmpty()) {
            throw ApiError.badRequest("tables: give a list of table names, or \"all\"").failure();
        }
        List<String> names = new ArrayList<>();
        for (JsonNode table : tables) {
            names.add(name("table", table.isTextual() ? table.asText() : table.toString()));
        }
        return String.join(", ", names);
    }

    private static List<String> options(JsonNode options) {
        List<String> out = new ArrayList<>();
        if (options == null || options.isNull()) {
            return out;
        }
        if (!options.isObject()) {
            throw ApiError.badRequest("options: expected an object such as {\"on_ddl\": \"STOP\"}").failure();
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = options.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> option = it.next();
            String key = name("option", option.getKey());
            JsonNode value = option.getValue();
            String sql;
            if (value.isBoolean()) {
                sql = Boolean.toString(value.booleanValue());
            } else if (value.isIntegralNumber() && value.canConvertToInt()) {
                sql = Integer.toString(value.intValue());
            } else if (value.isTextual()) {
                sql = "'" + name("options." + key, value.asText()) + "'";
            } else {
                throw ApiError.badRequest("options." + key + ": expected true/false, a whole number or a name, got "
                        + value).failure();
            }
            out.add(key + " = " + sql);
        }
        return out;
    }
}
