package io.switchyard.sandbox;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MariaDB programs a sandbox runs, found once per sandbox start.
 *
 * @param mariadbd  the server
 * @param installDb {@code mariadb-install-db}, which initializes the template data directory
 * @param basedir   {@code --basedir} for both, when an explicit MariaDB home was given; system packages need none
 * @param version   the server's version string, e.g. {@code 10.11.19-MariaDB-0+deb12u1}
 */
record MariaDbBinaries(Path mariadbd, Path installDb, Optional<Path> basedir, String version) {
    static final String INSTALL_HINT = "Install them: sudo apt-get install -y mariadb-server";

    private static final List<Path> SYSTEM_DIRS =
            List.of(Path.of("/usr/sbin"), Path.of("/usr/bin"), Path.of("/usr/local/mysql/bin"));
    private static final Pattern VERSION = Pattern.compile("\\bVer\\s+(\\S+)");

    /** Finds the binaries under {@code home} if given, else on PATH and the usual system directories. */
    static MariaDbBinaries locate(Optional<Path> home) {
        List<Path> serverDirs = new ArrayList<>();
        List<Path> scriptDirs = new ArrayList<>();
        if (home.isPresent()) {
            Path h = home.get();
            serverDirs.addAll(List.of(h.resolve("bin"), h.resolve("sbin"), h));
            scriptDirs.addAll(List.of(h.resolve("bin"), h.resolve("scripts"), h.resolve("sbin"), h));
        } else {
            Set<Path> dirs = new LinkedHashSet<>(pathDirs());
            dirs.addAll(SYSTEM_DIRS);
            dirs.add(Path.of("/usr/local/mysql/scripts"));
            serverDirs.addAll(dirs);
            scriptDirs.addAll(dirs);
        }
        Path mariadbd = find("mariadbd", serverDirs).orElseThrow(() -> new SandboxException(
                "MariaDB server binaries not found (looked for mariadbd in " + describe(home, serverDirs) + "). "
                        + (home.isPresent() ? "Check SandboxOptions.mariadbHome, or " : "") + INSTALL_HINT));
        Path installDb = find("mariadb-install-db", scriptDirs).orElseThrow(() -> new SandboxException(
                "MariaDB found " + mariadbd + " but not mariadb-install-db (looked in " + describe(home, scriptDirs)
                        + "). " + INSTALL_HINT));
        return new MariaDbBinaries(mariadbd, installDb, home, version(mariadbd));
    }

    private static List<Path> pathDirs() {
        List<Path> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isBlank()) {
                    dirs.add(Path.of(dir).toAbsolutePath().normalize());
                }
            }
        }
        return dirs;
    }

    private static Optional<Path> find(String program, List<Path> dirs) {
        return dirs.stream().map(dir -> dir.resolve(program))
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
    }

    private static String describe(Optional<Path> home, List<Path> dirs) {
        if (home.isPresent()) {
            return dirs.toString();
        }
        return "PATH, " + String.join(", ", SYSTEM_DIRS.stream().map(Path::toString).toList());
    }

    /** Runs {@code mariadbd --version}: proves the binary runs, and names the template cache. */
    private static String version(Path mariadbd) {
        String output;
        try {
            Process process = new ProcessBuilder(mariadbd.toString(), "--no-defaults", "--version")
                    .redirectErrorStream(true).start();
            process.getOutputStream().close();
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new SandboxException(mariadbd + " --version failed: " + output);
            }
        } catch (IOException e) {
            throw new SandboxException("cannot run " + mariadbd + ": " + e.getMessage() + ". " + INSTALL_HINT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while running " + mariadbd + " --version", e);
        }
        Matcher m = VERSION.matcher(output);
        if (!m.find()) {
            throw new SandboxException("cannot read the version of " + mariadbd + " from: " + output);
        }
        return m.group(1);
    }
}
