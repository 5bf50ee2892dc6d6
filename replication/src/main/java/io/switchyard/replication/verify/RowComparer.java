package io.switchyard.replication.verify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Compares two rows with equal keys column by column.
 *
 * <p>Character columns ({@code CHAR}, {@code VARCHAR}, {@code TEXT}) are equal when they are equal under the
 * column's collation, as Vitess's VDiff compares them: {@code 'abc'} and {@code 'ABC'} match under a {@code _ci}
 * collation, {@code 'a'} and {@code 'a '} under a PAD SPACE one, because the database itself treats them as the same
 * value (a unique key rejects the second). Identical text is equal without asking; only text that differs is sent to
 * the server as {@code CONVERT(? USING cs) COLLATE coll = ...}, one round trip per differing value, so a clean table
 * costs nothing extra. Rows that match only this way are counted apart, because a collation can hide real changes:
 * {@code utf8mb4_general_ci} and {@code utf8mb4_unicode_ci} weigh every character outside the Basic Multilingual
 * Plane alike, so one emoji replaced by another still matches. With {@link DiffOptions.TextComparison#EXACT} text
 * must be identical instead.
 *
 * <p>Everything else is compared exactly: JSON as stored, binary and BIT byte for byte, numbers and temporal values as
 * the server prints them (so every fractional digit counts), DECIMAL by value ({@code 1.50} equals {@code 1.5}). NULL
 * equals only NULL, so NULL and {@code ''} differ.
 */
final class RowComparer implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]+");

    private final DiffTable table;
    private final Connection server;
    private final DiffOptions.TextComparison mode;
    private final PreparedStatement[] collationChecks;

    /**
     * @param server a connection the collation checks run on (any side's snapshot connection: they read no table)
     */
    RowComparer(DiffTable table, Connection server, DiffOptions.TextComparison mode) {
        this.table = table;
        this.server = server;
        this.mode = mode;
        this.collationChecks = new PreparedStatement[table.columns().size()];
    }

    /**
     * How two rows with equal keys compare.
     *
     * @param differing     indexes of the columns whose values differ; empty if the rows match
     * @param collationOnly whether some column's values are equal only under its collation (not identical)
     */
    record Comparison(List<Integer> differing, boolean collationOnly) {
        static final Comparison IDENTICAL = new Comparison(List.of(), false);
    }

    Comparison compare(Row source, Row target) throws SQLException {
        List<Integer> differing = List.of();
        boolean collationOnly = false;
        List<DiffColumn> columns = table.columns();
        for (int i = 0; i < columns.size(); i++) {
            Object a = source.values()[i];
            Object b = target.values()[i];
            DiffColumn column = columns.get(i);
            if (column.sameExactly(a, b)) {
                continue;
            }
            if (a != null && b != null && equalUnderCollation(i, column, a, b)) {
                collationOnly = true;
                continue;
            }
            if (differing.isEmpty()) {
                differing = new ArrayList<>();
            }
            differing.add(i);
        }
        return differing.isEmpty() && !collationOnly ? Comparison.IDENTICAL : new Comparison(differing, collationOnly);
    }

    private boolean equalUnderCollation(int index, DiffColumn column, Object a, Object b) throws SQLException {
        boolean text = column.kind() == DiffColumn.Kind.TEXT || column.kind() == DiffColumn.Kind.LONG_TEXT;
        if (!text || mode == DiffOptions.TextComparison.EXACT || column.collation() == null) {
            return false;
        }
        PreparedStatement check = collationChecks[index];
        if (check == null) {
            String operand = "CONVERT(? USING " + name(column.charset()) + ") COLLATE " + name(column.collation());
            check = server.prepareStatement("SELECT " + operand + " = " + operand);
            collationChecks[index] = check;
        }
        check.setString(1, (String) a);
        check.setString(2, (String) b);
        try (ResultSet rs = check.executeQuery()) {
            return rs.next() && rs.getInt(1) == 1;
        }
    }

    private static String name(String charsetOrCollation) {
        if (!NAME.matcher(charsetOrCollation).matches()) {
            throw new VerifyException("unexpected character set or collation name '" + charsetOrCollation + "'");
        }
        return charsetOrCollation;
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement check : collationChecks) {
            if (check != null) {
                check.close();
            }
        }
    }
}
