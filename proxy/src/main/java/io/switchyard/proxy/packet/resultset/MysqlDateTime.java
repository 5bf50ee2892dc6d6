package io.switchyard.proxy.packet.resultset;

import java.time.LocalDateTime;

/**
 * A DATE, DATETIME or TIMESTAMP value of the binary protocol, field by field so that MySQL's zero dates
 * ({@code 0000-00-00}) and zero parts survive, which {@link LocalDateTime} cannot hold
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_binary_resultset.html, MYSQL_TYPE_DATETIME).
 */
public record MysqlDateTime(int year, int month, int day, int hour, int minute, int second, int micros) {
    public static final MysqlDateTime ZERO = new MysqlDateTime(0, 0, 0, 0, 0, 0, 0);

    public MysqlDateTime {
        if (year < 0 || year > 0xFFFF || month < 0 || month > 12 || day < 0 || day > 31 || hour < 0 || hour > 23
                || minute < 0 || minute > 59 || second < 0 || second > 59 || micros < 0 || micros > 999_999) {
            throw new IllegalArgumentException("not a MySQL date-time: " + year + "-" + month + "-" + day + " "
                    + hour + ":" + minute + ":" + second + "." + micros);
        }
    }

    public static MysqlDateTime of(LocalDateTime value) {
        return new MysqlDateTime(value.getYear(), value.getMonthValue(), value.getDayOfMonth(), value.getHour(),
                value.getMinute(), value.getSecond(), value.getNano() / 1000);
    }

    /** @throws java.time.DateTimeException for a zero date or a zero month or day */
    public LocalDateTime toLocalDateTime() {
        return LocalDateTime.of(year, month, day, hour, minute, second, micros * 1000);
    }

    /** The binary protocol length byte: 0 (all zero), 4 (date only), 7 (no micros) or 11. */
    int wireLength() {
        if (micros != 0) {
            return 11;
        }
        if (hour != 0 || minute != 0 || second != 0) {
            return 7;
        }
        return year == 0 && month == 0 && day == 0 ? 0 : 4;
    }
}
