package io.switchyard.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS from the gateway to a keyspace's backends, with MySQL's client {@code --ssl-mode} semantics.
 *
 * @param ca PEM file of the CA that signed the servers' certificates; without it, verification uses the JVM's trust
 *     store
 */
public record BackendTls(Mode mode, Optional<Path> ca) {

    /** MySQL's ssl-mode values, in order of strength. */
    public enum Mode {
        DISABLED,
        PREFERRED,
        REQUIRED,
        VERIFY_CA,
        VERIFY_IDENTITY;

        /** Whether the server certificate is checked against a CA. */
        public boolean verifies() {
            return this == VERIFY_CA || this == VERIFY_IDENTITY;
        }
    }

    public static final BackendTls DISABLED = new BackendTls(Mode.DISABLED, Optional.empty());

    public BackendTls {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(ca, "ca");
        Problems problems = new Problems();
        check(problems, mode, ca.isPresent());
        problems.throwIfAny();
    }

    /**
     * A CA with a mode that does not verify is a contradiction: the user wants verification and would silently not
     * get it. We refuse rather than guess which of the two they meant.
     */
    static void check(Problems problems, Mode mode, boolean hasCa) {
        if (mode != null && hasCa && !mode.verifies()) {
            problems.add("ca", "is only used with mode verify_ca or verify_identity, but mode is "
                    + Problems.quote(mode.name().toLowerCase(java.util.Locale.ROOT)));
        }
    }
}
