package io.switchyard.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Who this JVM runs as. {@code mariadbd} refuses to run as root unless told {@code --user=root}, and template caches
 * are kept per user so that two users on one machine never share (or fight over) a data directory.
 */
final class CurrentUser {
    private CurrentUser() {
    }

    /** The numeric uid where the platform exposes it ({@code /proc/self} is owned by it), else the user name. */
    static String id() {
        try {
            return "uid" + Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return "user-" + System.getProperty("user.name", "unknown").replaceAll("[^A-Za-z0-9_.-]", "_");
        }
    }

    static boolean isRoot() {
        String id = id();
        return id.equals("uid0") || id.equals("user-root");
    }
}
