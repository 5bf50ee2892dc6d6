package io.switchyard.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The certificate and private key (PEM files) the gateway presents to MySQL clients that ask for TLS. The files are
 * read when the listener starts, not here, so that a config can be checked on a machine that lacks them.
 */
public record ServerTls(Path cert, Path key) {

    public ServerTls {
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(key, "key");
    }
}
