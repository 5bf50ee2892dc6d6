package io.switchyard.replication.external;

import io.switchyard.config.BackendTls;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * PEM text as users paste it into {@code CREATE EXTERNAL KEYSPACE}: certificate chains and private keys. Errors say
 * which setting is wrong and never echo a key.
 */
final class Pem {
    private Pem() {
    }

    /** Every certificate in {@code pem}, in order. */
    static List<X509Certificate> certificates(String pem, String setting) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> certificates = factory.generateCertificates(
                            new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))).stream()
                    .map(X509Certificate.class::cast).toList();
            if (certificates.isEmpty()) {
                throw bad(setting, "holds no certificate");
            }
            return certificates;
        } catch (CertificateException e) {
            throw bad(setting, "is not a PEM certificate (-----BEGIN CERTIFICATE----- ...): " + e.getMessage());
        }
    }

    /**
     * The CA chain of {@code tls} as PEM text: {@link BackendTls#caPem()}, or the file {@link BackendTls#ca()} read
     * now; checked here, because a bad PEM is the user's mistake and the driver would garble the message.
     */
    static Optional<String> ca(BackendTls tls) {
        if (tls.caPem().isPresent()) {
            certificates(tls.caPem().get(), "SSL CA");
            return tls.caPem();
        }
        if (tls.ca().isEmpty()) {
            return Optional.empty();
        }
        Path file = tls.ca().get();
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw bad("tls.ca", "file " + file + " cannot be read: " + e.getMessage());
        }
        certificates(pem, "tls.ca file " + file);
        return Optional.of(pem);
    }

    /** A PKCS#8 or PKCS#1 private key, unencrypted. */
    static PrivateKey privateKey(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw bad("SSL KEY", "is not an unencrypted PEM private key (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA"
                    + " PRIVATE KEY-----); decrypt it first with openssl pkey");
        } catch (IOException e) {
            // The parser's message may quote the input: never pass it on.
            throw bad("SSL KEY", "is not a readable PEM private key");
        }
    }

    /** A trust store holding the CA certificates of {@code pem}. */
    static KeyStore trustStore(String pem) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (X509Certificate certificate : certificates(pem, "SSL CA")) {
                store.setCertificateEntry("ca" + i++, certificate);
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust store: " + e.getMessage(), e);
        }
    }

    /** A PKCS#12 key store with the client certificate chain and key under alias {@code client}. */
    static KeyStore keyStore(String certificatePem, String keyPem, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            PrivateKey key = privateKey(keyPem);
            List<X509Certificate> chain = certificates(certificatePem, "SSL CERT");
            store.setKeyEntry("client", key, password, chain.toArray(new Certificate[0]));
            return store;
        } catch (GeneralSecurityException e) {
            throw bad("SSL CERT/SSL KEY", "cannot be stored together as a client key: " + e.getMessage());
        } catch (IOException e) {
            throw new IllegalStateException("cannot build a key store: " + e.getMessage(), e);
        }
    }

    private static ExternalKeyspaceException bad(String setting, String problem) {
        return new ExternalKeyspaceException(ExternalKeyspaceException.Reason.BAD_SETTING, setting + " " + problem);
    }
}
