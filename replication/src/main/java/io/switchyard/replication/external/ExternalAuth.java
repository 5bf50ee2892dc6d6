package io.switchyard.replication.external;

import java.util.Objects;

/**
 * How Switchyard authenticates to an external database (seed 003, "Authentication method"): a password, or a client
 * certificate for servers whose user requires X509 (mutual TLS). Both hold a secret; neither prints it.
 */
public sealed interface ExternalAuth {

    /** Password authentication; the empty password is allowed (a user without one). */
    record Password(String password) implements ExternalAuth {
        public Password {
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "Password[***]";
        }
    }

    /**
     * Mutual TLS: the certificate chain Switchyard presents and its private key, PEM text. The key may be PKCS#8
     * ({@code BEGIN PRIVATE KEY}) or PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, as {@code openssl genrsa} writes it).
     */
    record ClientCertificate(String certificatePem, String keyPem) implements ExternalAuth {
        public ClientCertificate {
            Objects.requireNonNull(certificatePem, "certificatePem");
            Objects.requireNonNull(keyPem, "keyPem");
        }

        @Override
        public String toString() {
            return "ClientCertificate[certificate=" + certificatePem.length() + " characters, key=***]";
        }
    }
}
