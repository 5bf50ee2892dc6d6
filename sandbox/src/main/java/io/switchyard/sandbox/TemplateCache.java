package io.switchyard.sandbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One initialized data directory per MariaDB version and user, made once by {@code mariadb-install-db} and copied for
 * every server: a copy takes milliseconds, an install close to a second.
 *
 * <p>Concurrent JVMs may race to create the template. Each initializes a private temp directory and renames it into
 * place; rename is atomic, so a template directory either does not exist or is complete, and a loser of the race
 * discards its copy and uses the winner's.
 */
final class TemplateCache {
    private static final Logger log = LoggerFactory.getLogger(TemplateCache.class);
    static final String MARKER = "switchyard-template.txt";
    private static final List<String> REQUIRED = List.of(MARKER, "ibdata1", "ib_logfile0", "mysql/global_priv.MAI");
    private static final long INSTALL_TIMEOUT_SECONDS = 300;

    private final Path root;

    TemplateCache(Path root) {
        this.root = root;
    }

    /** The template for these binaries, creating it if this is the first use. */
    Path template(MariaDbBinaries binaries) {
        Path template = root.resolve(name(binaries));
        if (isComplete(template)) {
            return template;
        }
        if (Files.exists(template)) {
            log.warn("template data directory {} is incomplete (a tmp cleaner?); rebuilding it", template);
            deleteQuietly(template);
        }
        return create(binaries, template);
    }

    static String name(MariaDbBinaries binaries) {
        String version = binaries.version().replaceAll("[^A-Za-z0-9._+-]", "_");
        String install = Integer.toHexString((binaries.mariadbd() + "|" + binaries.basedir()).hashCode());
        return "switchyard-mariadb-template-" + version + "-" + CurrentUser.id() + "-" + install + "-"
                + MariaDbCommand.TEMPLATE_LAYOUT;
    }

    private static boolean isComplete(Path template) {
        return REQUIRED.stream().allMatch(f -> Files.isRegularFile(template.resolve(f)));
    }

    private Path create(MariaDbBinaries binaries, Path template) {
        long started = System.nanoTime();
        Path work;
        try {
            Files.createDirectories(root);
            deleteAbandonedWork(template);
            work = Files.createTempDirectory(root, template.getFileName() + ".tmp-");
        } catch (IOException e) {
            throw new SandboxException("cannot create a template data directory under " + root + ": " + e, e);
        }
        Path datadir = work.resolve("data");
        Path tmpdir = work.resolve("tmp");
        Path fixup = work.resolve("fixup.sql");
        Path output = work.resolve("install.log");
        try {
            Files.createDirectory(tmpdir);
            Files.writeString(fixup, MariaDbCommand.TEMPLATE_FIXUP_SQL);
            List<String> command = MariaDbCommand.installDb(binaries, datadir, tmpdir, fixup);
            log.debug("initializing template: {}", command);
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!process.waitFor(INSTALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new SandboxException("mariadb-install-db did not finish in " + INSTALL_TIMEOUT_SECONDS
                        + " s:\n" + tail(output));
            }
            if (process.exitValue() != 0) {
                throw new SandboxException("mariadb-install-db failed (exit " + process.exitValue() + "): "
                        + String.join(" ", command) + "\n" + errors(output));
            }
            Files.writeString(datadir.resolve(MARKER), "MariaDB " + binaries.version() + ", initialized "
                    + Instant.now() + " by " + String.join(" ", command) + "\n");
            try {
                Files.move(datadir, template, StandardCopyOption.ATOMIC_MOVE);
                log.info("initialized MariaDB template data directory {} in {} ms", template,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            } catch (IOException lostRace) {
                if (!isComplete(template)) {
                    throw new SandboxException("cannot move the template data directory into place at " + template
                            + ": " + lostRace, lostRace);
                }
                log.debug("another process created {} first; using it", template);
            }
            return template;
        } catch (IOException e) {
            throw new SandboxException("cannot initialize a template data directory in " + work + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while initializing a template data directory", e);
        } finally {
            deleteQuietly(work);
        }
    }

    /** Removes work directories of template builds that a killed JVM left behind (older than an hour). */
    private void deleteAbandonedWork(Path template) throws IOException {
        String prefix = template.getFileName() + ".tmp-";
        Instant cutoff = Instant.now().minus(Duration.ofHours(1));
        try (Stream<Path> entries = Files.list(root)) {
            for (Path entry : entries.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                if (Files.getLastModifiedTime(entry).toInstant().isBefore(cutoff)) {
                    log.info("deleting abandoned template work directory {}", entry);
                    deleteQuietly(entry);
                }
            }
        }
    }

    /** Copies the template into {@code target}, which must not exist. */
    static void copy(Path template, Path target) {
        try {
            Files.walkFileTree(template, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    Files.createDirectory(target.resolve(template.relativize(dir).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (!file.getFileName().toString().equals(MARKER)) {
                        Files.copy(file, target.resolve(template.relativize(file).toString()));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new SandboxException("cannot copy the template data directory " + template + " to " + target
                    + ": " + e, e);
        }
    }

    private static String tail(Path file) {
        return FileTrees.tail(file, 25);
    }

    /** install-db prints its errors first and a long generic help text after them: keep the errors. */
    private static String errors(Path file) {
        List<String> errors = FileTrees.tail(file, 500).lines()
                .filter(line -> line.contains("ERROR") || line.contains("rror") || line.contains("failed"))
                .limit(20).toList();
        return errors.isEmpty() ? tail(file) : String.join("\n", errors);
    }

    static void deleteQuietly(Path path) {
        try {
            FileTrees.delete(path);
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", path, e.toString());
        }
    }
}
