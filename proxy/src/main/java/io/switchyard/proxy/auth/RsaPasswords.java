package io.switchyard.proxy.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

import javax.crypto.Cipher;

/**
 * The RSA pieces of caching_sha2_password's full path without TLS: PEM encoding of the server's public key
 * (X.509 SubjectPublicKeyInfo, "BEGIN PUBLIC KEY", as MySQL sends it) and the client-side encryption of
 * {@code (password + NUL) XOR seed} the gateway needs toward MySQL 8 backends.
 *
 * <p>Padding: MySQL since 8.0.5 uses RSA_PKCS1_OAEP_PADDING, i.e. {@link #OAEP} (SHA-1, MGF1 with SHA-1);
 * Connector/J falls back to {@link #PKCS1} when the server version is older than 8.0.5, which is why
 * {@link ServerRsaKey#decryptPassword} accepts both.
 */
public final class RsaPasswords {
    public static final String OAEP = "RSA/ECB/OAEPWithSHA-1AndMGF1Padding";
    public static final String PKCS1 = "RSA/ECB/PKCS1Padding";
    private static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
    private static final String END = "-----END PUBLIC KEY-----";

    private RsaPasswords() {
    }

    /** The client's full-path response: RSA-OAEP of {@code (password + NUL) XOR seed} under the server's key. */
    public static byte[] encrypt(byte[] password, byte[] seed, PublicKey serverKey, SecureRandom random) {
        try {
            Cipher cipher = Cipher.getInstance(OAEP);
            cipher.init(Cipher.ENCRYPT_MODE, serverKey, random);
            return cipher.doFinal(CachingSha2Password.xorWithSeed(password, seed));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot RSA-encrypt the password with the server's key: "
                    + e.getMessage(), e);
        }
    }

    /** PEM text of a public key, 64 base64 characters a line, ending with a newline. */
    public static String toPem(PublicKey key) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded());
        return BEGIN + "\n" + body + "\n" + END + "\n";
    }

    /** Parses the PEM public key a server sends in AuthMoreData. */
    public static PublicKey parsePem(String pem) {
        int begin = pem.indexOf(BEGIN);
        int end = pem.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("not a PEM public key (no " + BEGIN + " ... " + END + ")");
        }
        String body = pem.substring(begin + BEGIN.length(), end).replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder()
                    .decode(body)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an RSA public key: " + e.getMessage(), e);
        }
    }
}
