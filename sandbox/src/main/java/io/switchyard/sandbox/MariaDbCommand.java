package io.switchyard.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command lines the sandbox runs. Everything is on the command line ({@code --no-defaults}): no {@code my.cnf}
 * of the machine can change how a sandbox server behaves.
 */
final class MariaDbCommand {
    /** Data-directory file names, relative to the data directory (mariadbd runs with it as working directory). */
    static final String SOCKET = "mysqld.sock";
    static final String PID_FILE = "mariadbd.pid";
    static final String ERROR_LOG = "error.log";

    /**
     * InnoDB settings fixed when the data directory is initialized; the template and every server must agree on them.
     * A small redo log keeps the per-server copy of the template small (the default is 96 MiB).
     */
    private static final List<String> INNODB_LAYOUT = List.of(
            "--innodb-log-file-size=16M",
            "--innodb-buffer-pool-size=32M");

    /** Version of the template layout: part of the template cache key, bump it when the install command changes. */
    static final String TEMPLATE_LAYOUT = "v1";

    /**
     * Drops the {@code root@<hostname>} account install-db creates: with {@code --skip-name-resolve} the server warns
     * about it at every start, and the sandbox only ever connects over 127.0.0.1.
     */
    static final String TEMPLATE_FIXUP_SQL = """
            DELETE FROM mysql.global_priv WHERE User = 'root' AND Host NOT IN ('localhost', '127.0.0.1', '::1');
            DELETE FROM mysql.proxies_priv WHERE Host NOT IN ('localhost', '127.0.0.1', '::1');
            """;

    /*
     * Every server, and every install-db run, gets a private --tmpdir: at startup mariadbd deletes all "#sql*" files
     * in its tmpdir, so servers sharing /tmp delete each other's on-disk temporary tables (seen as "Error on delete
     * of '/tmp/#sql-temptable-...MAI'" when install-db runs concurrently).
     */

    private MariaDbCommand() {
    }

    /**
     * {@code mariadb-install-db} with {@code root} allowed in without a password (MariaDB 10.4+ defaults to
     * {@code unix_socket} authentication plus an invalid password, which would lock TCP clients out).
     */
    static List<String> installDb(MariaDbBinaries binaries, Path datadir, Path tmpdir, Path fixupSql) {
        List<String> command = new ArrayList<>(List.of(
                binaries.installDb().toString(),
                "--no-defaults",
                "--datadir=" + datadir,
                "--tmpdir=" + tmpdir,
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
                "--skip-name-resolve",
                "--extra-file=" + fixupSql));
        binaries.basedir().ifPresent(b -> command.add("--basedir=" + b));
        if (CurrentUser.isRoot()) {
            command.add("--user=root");
        }
        command.addAll(INNODB_LAYOUT);
        return command;
    }

    /**
     * One sandbox server. Durability is relaxed ({@code innodb-flush-log-at-trx-commit=2}, {@code sync-binlog=0},
     * no doublewrite): a sandbox never survives a host crash, but it must be fast. Binary logging is always on, in
     * ROW format with full row images, because the replication module reads it.
     */
    static List<String> server(MariaDbBinaries binaries, Path datadir, Path tmpdir, int port, long serverId,
                               boolean replica) {
        List<String> command = new ArrayList<>(List.of(
                binaries.mariadbd().toString(),
                "--no-defaults",
                "--datadir=" + datadir,
                "--tmpdir=" + tmpdir,
                // Relative paths resolve against the data directory, which mariadbd makes its working directory:
                // this keeps the socket path far below the 107-byte limit of unix socket paths.
                "--socket=" + SOCKET,
                "--pid-file=" + PID_FILE,
                "--log-error=" + ERROR_LOG,
                "--port=" + port,
                "--bind-address=127.0.0.1",
                "--report-host=127.0.0.1",
                "--report-port=" + port,
                "--server-id=" + serverId,
                "--log-bin=mariadb-bin",
                "--relay-log=mariadb-relay-bin",
                "--binlog-format=ROW",
                "--binlog-row-image=FULL",
                "--log-slave-updates",
                // gtid_strict_mode stays OFF (the MariaDB default): with it ON, one test write on a replica (root
                // bypasses read_only) makes the primary's next GTID "out-of-order" there and stops replication.
                "--binlog-expire-logs-seconds=259200",
                "--skip-name-resolve",
                "--max-connections=500",
                "--character-set-server=utf8mb4",
                "--innodb-flush-log-at-trx-commit=2",
                "--innodb-doublewrite=0",
                "--sync-binlog=0",
                // io_uring needs locked memory that normal users rarely have; the thread-pool fallback is plenty.
                "--innodb-use-native-aio=0"));
        command.addAll(INNODB_LAYOUT);
        if (replica) {
            command.add("--read-only=ON");
        }
        binaries.basedir().ifPresent(b -> command.add("--basedir=" + b));
        if (CurrentUser.isRoot()) {
            command.add("--user=root");
        }
        return command;
    }
}
