package io.switchyard.proxy.packet.resultset;

import java.time.Duration;

/**
 * A TIME value of the binary protocol: a signed duration of up to 838:59:59 split into days and a time of day
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_binary_resultset.html, MYSQL_TYPE_TIME).
 */
public record MysqlTime(boolean negative, long days, int hours, int minutes, int seconds, int micros) {
    public static final MysqlTime ZERO = new MysqlTime(false, 0, 0, 0, 0, 0);

    public MysqlTime {
        if (days < 0 || days > 0xFFFFFFFFL || hours < 0 || hours > 23 || minutes < 0 || minutes > 59
                || seconds < 0 || seconds > 59 || micros < 0 || micros > 999_999) {
            throw new IllegalArgumentException("not a MySQL time: " + days + "d " + hours + ":" + minutes + ":"
                    + seconds + "." + micros);
        }
    }

    public static MysqlTime of(Duration value) {
        Duration abs = value.abs();
        return new MysqlTime(value.isNegative(), abs.toDays(), abs.toHoursPart(), abs.toMinutesPart(),
                abs.toSecondsPart(), abs.toNanosPart() / 1000);
    }

    public Duration toDuration() {
        Duration abs = Duration.ofDays(days).plusHours(hours).plusMinutes(minutes).plusSeconds(seconds)
                .plusNanos(micros * 1000L);
        return negative ? abs.negated() : abs;
    }

    /** The binary protocol length byte: 0 (zero), 8 (no micros) or 12. */
    int wireLength() {
        if (micros != 0) {
            return 12;
        }
        return !negative && days == 0 && hours == 0 && minutes == 0 && seconds == 0 ? 0 : 8;
    }
}
