package io.switchyard.replication.binlog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One column as {@code information_schema.columns} describes it. Row events carry only column positions and wire
 * types; the name, signedness, charset and ENUM/SET labels come from here.
 *
 * @param dataType     {@code DATA_TYPE}, lower case ({@code int}, {@code varchar}, {@code enum}, ...)
 * @param columnType   {@code COLUMN_TYPE} ({@code bigint(20) unsigned}, {@code enum('a','b')})
 * @param charset      {@code CHARACTER_SET_NAME}, null for non-text columns
 */
record ColumnInfo(String name, String dataType, String columnType, String charset) {
    ColumnInfo {
        Objects.requireNonNull(name, "name");
        dataType = dataType.toLowerCase(Locale.ROOT);
        Objects.requireNonNull(columnType, "columnType");
    }

    boolean unsigned() {
        return columnType.toLowerCase(Locale.ROOT).contains("unsigned");
    }

    /**
     * The labels of an {@code enum('a','b')} or {@code set('x','y')} column, in declaration order. Quotes inside a
     * label are doubled in COLUMN_TYPE ({@code 'it''s'}).
     */
    List<String> labels() {
        int open = columnType.indexOf('(');
        List<String> labels = new ArrayList<>();
        if (open < 0) {
            return labels;
        }
        StringBuilder current = null;
        for (int i = open + 1; i < columnType.length(); i++) {
            char c = columnType.charAt(i);
            if (current == null) {
                if (c == '\'') {
                    current = new StringBuilder();
                }
            } else if (c == '\'') {
                if (i + 1 < columnType.length() && columnType.charAt(i + 1) == '\'') {
                    current.append('\'');
                    i++;
                } else {
                    labels.add(current.toString());
                    current = null;
                }
            } else {
                current.append(c);
            }
        }
        return labels;
    }
}
