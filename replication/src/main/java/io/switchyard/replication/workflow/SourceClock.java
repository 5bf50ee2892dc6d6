package io.switchyard.replication.workflow;

import io.switchyard.replication.copy.SqlConnector;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * How far a source server's clock is ahead of the gateway's. Binlog events carry the source's commit time, so lag
 * computed against the gateway's clock would include any skew between the two machines; Vitess avoids that by
 * comparing event times with the source's own clock, and so do we, by shifting commit times by this offset.
 */
final class SourceClock {
    private SourceClock() {
    }

    /** Source clock minus gateway clock, measured at the midpoint of one round trip. */
    static Duration offset(SqlConnector source, Clock clock) throws SQLException {
        try (Connection connection = source.open(); Statement statement = connection.createStatement()) {
            Instant before = clock.instant();
            BigDecimal sourceSeconds;
            try (ResultSet rs = statement.executeQuery("SELECT UNIX_TIMESTAMP(NOW(6))")) {
                rs.next();
                sourceSeconds = rs.getBigDecimal(1);
            }
            Instant after = clock.instant();
            Instant local = before.plus(Duration.between(before, after).dividedBy(2));
            Instant remote = Instant.ofEpochSecond(sourceSeconds.longValue(),
                    sourceSeconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
            return Duration.between(local, remote);
        }
    }
}
