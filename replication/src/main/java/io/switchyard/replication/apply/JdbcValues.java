package io.switchyard.replication.apply;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Binds the values a binlog row carries (see {@code ValueNormalizer}) and a {@code LastPk} holds back into a
 * statement without loss.
 *
 * <p>Temporal values go as text in the server's own format: the applier's session runs with {@code time_zone =
 * '+00:00'}, the zone in which the binlog client computed them, so no JVM zone or calendar conversion can creep in
 * (the same reason the copy sends temporal values as text).
 */
final class JdbcValues {
    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private JdbcValues() {
    }

    static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.NULL);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte) {
            statement.setLong(index, ((Number) value).longValue());
        } else if (value instanceof BigInteger number) {
            statement.setBigDecimal(index, new BigDecimal(number));
        } else if (value instanceof BigDecimal number) {
            statement.setBigDecimal(index, number);
        } else if (value instanceof Double number) {
            statement.setDouble(index, number);
        } else if (value instanceof Float number) {
            statement.setFloat(index, number);
        } else if (value instanceof byte[] bytes) {
            statement.setBytes(index, bytes);
        } else if (value instanceof String text) {
            statement.setString(index, text);
        } else if (value instanceof LocalDateTime time) {
            statement.setString(index, DATETIME.format(time));
        } else if (value instanceof Instant instant) {
            statement.setString(index, DATETIME.format(instant.atOffset(ZoneOffset.UTC)));
        } else if (value instanceof LocalDate date) {
            statement.setString(index, date.toString());
        } else {
            // A new value type from the decoder must be handled here, not guessed at with setObject.
            throw new IllegalArgumentException("cannot bind a " + value.getClass().getName() + " binlog value: "
                    + value);
        }
    }

    /** Integers as {@link Long} where they fit, as the copy's router sees them; other values unchanged. */
    static Object forRouting(Object value) {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        return value;
    }
}
