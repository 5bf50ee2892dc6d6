package io.switchyard.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/** Reading request bodies field by field; each problem is a 400 (code 1210) naming the field. */
final class JsonFields {
    private JsonFields() {
    }

    /** The body as an object with only {@code allowed} fields; an empty body is an empty object. */
    static ObjectNode object(JsonNode body, Set<String> allowed) {
        if (body == null || body.isMissingNode() || body.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!body.isObject()) {
            throw ApiError.badRequest("the body must be a JSON object").failure();
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!allowed.contains(field)) {
                throw ApiError.badRequest("unknown field '" + field + "'" + (allowed.isEmpty()
                        ? "; this action takes no body" : " (known: " + String.join(", ", allowed.stream().sorted()
                        .toList()) + ")")).failure();
            }
        }
        return (ObjectNode) body;
    }

    static String text(ObjectNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || !value.isTextual()) {
            throw ApiError.badRequest(field + ": required, a string").failure();
        }
        return value.asText();
    }

    static boolean flag(ObjectNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw ApiError.badRequest(field + ": expected true or false, got " + value).failure();
        }
        return value.booleanValue();
    }

    /** A string field that may be absent (or null). */
    static Optional<String> optionalText(ObjectNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw ApiError.badRequest(field + ": expected a string").failure();
        }
        return Optional.of(value.asText());
    }

    /** A whole-number field that may be absent (or null); its range is for the SQL side to check. */
    static Optional<Integer> optionalInt(ObjectNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw ApiError.badRequest(field + ": expected a whole number, got " + value).failure();
        }
        return Optional.of(value.intValue());
    }
}
