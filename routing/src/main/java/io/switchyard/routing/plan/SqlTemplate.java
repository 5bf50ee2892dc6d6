package io.switchyard.routing.plan;

import io.switchyard.routing.plan.SqlLexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * SQL text with holes: bind variables {@code :vN} (filled with {@link BoundValue#sql()} of value N) and slots
 * {@code :sN} (filled by the caller: an IN list or a LIMIT computed at bind time). Built once per cached plan, so
 * producing a statement's per-shard SQL on a cache hit is string concatenation, not parsing.
 */
final class SqlTemplate {

    /** Text parts are Strings; bind N is Integer N; slot N is Integer -(N + 1). */
    private final Object[] parts;
    private final int length;

    private SqlTemplate(Object[] parts) {
        this.parts = parts;
        int textLength = 0;
        for (Object part : parts) {
            textLength += part instanceof String text ? text.length() : 8;
        }
        this.length = textLength;
    }

    /** Splits marked SQL ({@code :vN}, {@code :sN}; quoted text and comments are left alone). */
    static SqlTemplate parse(String marked) {
        List<Object> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (Token token : SqlLexer.tokenize(marked)) {
            String image = token.text(marked);
            Integer marker = token.kind() == SqlLexer.Kind.NAMED ? marker(image) : null;
            if (marker == null) {
                text.append(image);
                continue;
            }
            if (text.length() > 0) {
                parts.add(text.toString());
                text.setLength(0);
            }
            parts.add(marker);
        }
        if (text.length() > 0) {
            parts.add(text.toString());
        }
        return new SqlTemplate(parts.toArray());
    }

    private static final java.util.regex.Pattern BIND_MARKER = java.util.regex.Pattern.compile(":v(\\d+)");

    /**
     * A refusal message with bind markers replaced by this execution's values. Messages quote expressions from the
     * cached statement, whose literals are markers; the client should see what it wrote.
     */
    static String fillMarkers(String message, List<BoundValue> values) {
        return BIND_MARKER.matcher(message).replaceAll(match -> {
            int index = Integer.parseInt(match.group(1));
            return java.util.regex.Matcher.quoteReplacement(index < values.size() && values.get(index) != null
                    ? values.get(index).sql() : "?");
        });
    }

    /** The marker text of bind variable {@code index}. */
    static String bind(int index) {
        return ":v" + index;
    }

    /** The marker text of slot {@code id}. */
    static String slot(int id) {
        return ":s" + id;
    }

    String render(List<BoundValue> values) {
        return render(values, id -> {
            throw new IllegalStateException("template has slot " + id + " but no slot values were given");
        });
    }

    String render(List<BoundValue> values, IntFunction<String> slots) {
        StringBuilder sql = new StringBuilder(length + 16);
        for (Object part : parts) {
            if (part instanceof String text) {
                sql.append(text);
            } else {
                int marker = (Integer) part;
                sql.append(marker >= 0 ? values.get(marker).sql() : slots.apply(-marker - 1));
            }
        }
        return sql.toString();
    }

    /** The bind index if this template is exactly one bind variable (an INSERT cell holding a literal), else -1. */
    int singleBind() {
        return parts.length == 1 && parts[0] instanceof Integer marker && marker >= 0 ? marker : -1;
    }

    /** Whether this template is the keyword NULL and nothing else. */
    boolean isNullKeyword() {
        return parts.length == 1 && parts[0] instanceof String text && text.trim().equalsIgnoreCase("NULL");
    }

    private static Integer marker(String image) {
        if (image.length() < 3 || image.charAt(1) != 'v' && image.charAt(1) != 's') {
            return null;
        }
        for (int i = 2; i < image.length(); i++) {
            if (!Character.isDigit(image.charAt(i))) {
                return null;
            }
        }
        int number = Integer.parseInt(image.substring(2));
        return image.charAt(1) == 'v' ? number : -number - 1;
    }

    /** The marked form, as parsed. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof String s) {
                text.append(s);
            } else {
                int marker = (Integer) part;
                text.append(marker >= 0 ? bind(marker) : slot(-marker - 1));
            }
        }
        return text.toString();
    }
}
