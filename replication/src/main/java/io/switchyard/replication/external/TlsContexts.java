package io.switchyard.replication.external;

import io.switchyard.config.BackendTls;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Optional;

/**
 * TLS for the gateway's own raw sockets to a keyspace's servers (the binlog stream), with the same semantics as
 * {@link TlsConnector}: the {@link SSLContext} made here does every check the mode asks for itself, during the
 * handshake, so the socket's owner needs no verification of its own.
 * <ul>
 *   <li>PREFERRED, REQUIRED: any certificate (encryption without verification, as MySQL's {@code --ssl-mode}).</li>
 *   <li>VERIFY_CA: signed by the CA PEM, only by it when one is given, else by a CA the JVM trusts.</li>
 *   <li>VERIFY_IDENTITY: as VERIFY_CA, and issued for the server name, or for the host connected to without one.</li>
 * </ul>
 * A failed check fails the handshake with {@link CertificateCheck}'s plain words ("the server's certificate is not
 * signed by the given CA ..."). A client certificate is held in memory: no key store file is needed here.
 */
public final class TlsContexts {
    private TlsContexts() {
    }

    /**
     * A context for connecting to {@code host} under {@code tls}.
     *
     * @throws IllegalArgumentException if the mode is DISABLED
     * @throws ExternalKeyspaceException if the CA or the client certificate is not valid PEM
     */
    public static SSLContext client(BackendTls tls, String host, SecureRandom random) {
        if (tls.mode() == BackendTls.Mode.DISABLED) {
            throw new IllegalArgumentException("TLS mode is DISABLED: there is no TLS context to make");
        }
        TrustManager trust = tls.mode().verifies()
                ? new Checking(CertificateCheck.of(Pem.ca(tls)),
                        TlsProbe.expectedName(tls.mode(), host, tls.serverName()))
                : new AnyCertificate();
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers(tls, random), new TrustManager[] {trust}, random);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static KeyManager[] keyManagers(BackendTls tls, SecureRandom random) throws GeneralSecurityException {
        if (tls.client().isEmpty()) {
            return null; // none: the server may ask for a certificate, and then refuses the login, as it should
        }
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        char[] secret = HexFormat.of().formatHex(bytes).toCharArray(); // in memory only; a key store needs one
        KeyStore store = Pem.keyStore(tls.client().get().certificatePem(), tls.client().get().keyPem(), secret);
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, secret);
        return factory.getKeyManagers();
    }

    /** Verifies with {@link CertificateCheck}, whose message says what is wrong in a user's terms. */
    private record Checking(CertificateCheck check, Optional<String> expectedName) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a client does not check clients");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            Optional<String> problem = chain == null || chain.length == 0
                    ? Optional.of("the server showed no certificate")
                    : check.problem(chain, authType, expectedName);
            if (problem.isPresent()) {
                throw new CertificateException(problem.get());
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** PREFERRED and REQUIRED encrypt without checking who is at the other end. */
    private static final class AnyCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a client does not check clients");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // accepted: see the class comment
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
