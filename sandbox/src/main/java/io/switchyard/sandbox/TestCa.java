package io.switchyard.sandbox;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * A certificate authority made up for a test: signs server and client certificates for sandbox servers (started with
 * {@code ssl-ca}/{@code ssl-cert}/{@code ssl-key}) and their clients, and writes PEM. Never for production use.
 */
public final class TestCa {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A certificate and its key, as PEM text. */
    public record Issued(String certificatePem, String keyPem) {
        /** Writes both files into {@code dir} as {@code name-cert.pem} and {@code name-key.pem}. */
        public List<Path> write(Path dir, String name) {
            try {
                Path cert = Files.writeString(dir.resolve(name + "-cert.pem"), certificatePem);
                Path key = Files.writeString(dir.resolve(name + "-key.pem"), keyPem);
                return List.of(cert, key);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final X500Name name;
    private final KeyPair keys;
    private final X509Certificate certificate;

    private TestCa(X500Name name, KeyPair keys, X509Certificate certificate) {
        this.name = name;
        this.keys = keys;
        this.certificate = certificate;
    }

    public static TestCa create(String commonName) {
        try {
            KeyPair keys = rsa();
            X500Name name = new X500Name("CN=" + commonName);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(), from(), to(), name,
                    keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new TestCa(name, keys, sign(builder, keys));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public String pem() {
        return pem(certificate);
    }

    /** A server certificate for these DNS names and IP addresses (an IP is written with digits and dots). */
    public Issued server(String commonName, String... names) {
        return issue(commonName, names);
    }

    /** A client certificate (no names needed). */
    public Issued client(String commonName) {
        return issue(commonName);
    }

    private Issued issue(String commonName, String... names) {
        try {
            KeyPair leaf = rsa();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(), from(), to(),
                    new X500Name("CN=" + commonName), leaf.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            if (names.length > 0) {
                List<GeneralName> sans = new ArrayList<>();
                for (String n : names) {
                    sans.add(n.matches("[0-9.]+") ? new GeneralName(GeneralName.iPAddress, n)
                            : new GeneralName(GeneralName.dNSName, n));
                }
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(sans.toArray(new GeneralName[0])));
            }
            X509Certificate cert = sign(builder, keys);
            return new Issued(pem(cert), pem(new JcaPKCS8Generator(leaf.getPrivate(), null)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(signer.getPrivate())));
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048, RANDOM);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM);
    }

    private static Date from() {
        return Date.from(Instant.now().minus(Duration.ofHours(1)));
    }

    private static Date to() {
        return Date.from(Instant.now().plus(Duration.ofDays(30)));
    }

    private static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
