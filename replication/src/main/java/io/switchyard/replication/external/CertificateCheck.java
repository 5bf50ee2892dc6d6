package io.switchyard.replication.external;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * Checks a server's certificate the way {@code VERIFY_CA} and {@code VERIFY_IDENTITY} ask for, and says in plain
 * words what is wrong: the JDK's own messages ("PKIX path building failed ...") do not tell a user which of their
 * settings to change.
 */
final class CertificateCheck {
    private final X509TrustManager trust;
    private final boolean customCa;

    private CertificateCheck(X509TrustManager trust, boolean customCa) {
        this.trust = trust;
        this.customCa = customCa;
    }

    /** Trusts the CAs of {@code caPem}, or the JVM's trusted CAs when it is empty. */
    static CertificateCheck of(Optional<String> caPem) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(caPem.map(Pem::trustStore).orElse((KeyStore) null));
            for (var manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return new CertificateCheck(x509, caPem.isPresent());
                }
            }
            throw new IllegalStateException("no X509TrustManager in this JVM");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a trust manager: " + e.getMessage(), e);
        }
    }

    /**
     * The problem with {@code chain}, or empty if it is signed by a trusted CA, valid now and (when
     * {@code expectedName} is given) issued for that name.
     */
    Optional<String> problem(X509Certificate[] chain, String authType, Optional<String> expectedName) {
        X509Certificate leaf = chain[0];
        try {
            trust.checkServerTrusted(chain, authType);
        } catch (CertificateException e) {
            if (causedBy(e, CertificateExpiredException.class)) {
                return Optional.of("the server's certificate has expired (not after " + leaf.getNotAfter()
                        + "); renew it on the server");
            }
            if (causedBy(e, CertificateNotYetValidException.class)) {
                return Optional.of("the server's certificate is not valid yet (not before " + leaf.getNotBefore()
                        + "); check the clocks");
            }
            return Optional.of("the server's certificate is not signed by " + (customCa ? "the given CA"
                    : "a CA this JVM trusts") + " (certificate " + subject(leaf) + ", issued by "
                    + leaf.getIssuerX500Principal().getName(X500Principal.RFC2253) + "); "
                    + (customCa ? "give the CA chain that signed it in SSL CA" : "give its CA chain in SSL CA")
                    + ", or use SSL MODE REQUIRED to encrypt without verifying");
        }
        if (expectedName.isPresent() && !matches(leaf, expectedName.get())) {
            return Optional.of("the certificate's name does not match host " + expectedName.get() + " (it is for "
                    + String.join(", ", names(leaf)) + "); connect by one of those names, set SSL SERVER NAME to"
                    + " one of them, or use SSL MODE VERIFY_CA");
        }
        return Optional.empty();
    }

    /**
     * RFC 6125 matching: the subject alternative names (DNS names, with a wildcard only as the whole leftmost label;
     * IP addresses compared as addresses), or the common name when the certificate has no DNS or IP names.
     */
    static boolean matches(X509Certificate certificate, String host) {
        boolean ip = host.matches("[0-9.]+") || host.contains(":");
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        sans(certificate, dns, ips);
        if (ip) {
            return ips.stream().anyMatch(a -> sameAddress(a, host));
        }
        List<String> candidates = dns.isEmpty() && ips.isEmpty() ? commonName(certificate).stream().toList() : dns;
        return candidates.stream().anyMatch(pattern -> dnsMatch(pattern, host));
    }

    /** The names a certificate is for, for messages. */
    static List<String> names(X509Certificate certificate) {
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        sans(certificate, dns, ips);
        List<String> all = new ArrayList<>(dns);
        all.addAll(ips);
        if (all.isEmpty()) {
            commonName(certificate).ifPresent(all::add);
        }
        return all.isEmpty() ? List.of("no name") : all;
    }

    private static boolean dnsMatch(String pattern, String host) {
        String p = pattern.toLowerCase(Locale.ROOT);
        String h = host.toLowerCase(Locale.ROOT);
        if (p.startsWith("*.")) {
            int dot = h.indexOf('.');
            return dot > 0 && h.substring(dot).equals(p.substring(1));
        }
        return p.equals(h);
    }

    private static boolean sameAddress(String a, String b) {
        try {
            return InetAddress.getByName(a).equals(InetAddress.getByName(b)); // literals only: no lookup happens
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static void sans(X509Certificate certificate, List<String> dns, List<String> ips) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return;
            }
            for (List<?> name : names) {
                int type = (Integer) name.get(0);
                if (type == 2) {
                    dns.add((String) name.get(1));
                } else if (type == 7) {
                    ips.add((String) name.get(1));
                }
            }
        } catch (CertificateParsingException e) {
            // an unreadable extension gives no names, so nothing matches
        }
    }

    private static Optional<String> commonName(X509Certificate certificate) {
        for (String part : certificate.getSubjectX500Principal().getName(X500Principal.RFC2253).split(",")) {
            if (part.startsWith("CN=")) {
                return Optional.of(part.substring(3));
            }
        }
        return Optional.empty();
    }

    private static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
            if (t instanceof java.security.cert.CertPathValidatorException v
                    && v.getReason() == java.security.cert.CertPathValidatorException.BasicReason.EXPIRED
                    && type == CertificateExpiredException.class) {
                return true;
            }
        }
        return false;
    }
}
