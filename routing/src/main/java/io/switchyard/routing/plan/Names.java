package io.switchyard.routing.plan;

import net.sf.jsqlparser.schema.Table;

/** Identifier handling shared by the planners. */
final class Names {

    private Names() {
    }

    /** An identifier without its backquotes (or ANSI double quotes); {@code null} stays {@code null}. */
    static String unquote(String name) {
        if (name == null || name.length() < 2) {
            return name;
        }
        char first = name.charAt(0);
        if ((first == '`' || first == '"') && name.charAt(name.length() - 1) == first) {
            String quote = String.valueOf(first);
            return name.substring(1, name.length() - 1).replace(quote + quote, quote);
        }
        return name;
    }

    /** A table's qualifier (the keyspace written before it), unquoted, or {@code null}. */
    static String qualifier(Table table) {
        return unquote(table.getSchemaName());
    }

    static String name(Table table) {
        return unquote(table.getName());
    }

    /** The table's alias, unquoted, or {@code null}. */
    static String alias(Table table) {
        return table.getAlias() == null ? null : unquote(table.getAlias().getName());
    }
}
