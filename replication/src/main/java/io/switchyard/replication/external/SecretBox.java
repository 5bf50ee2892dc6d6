package io.switchyard.replication.external;

import io.switchyard.config.Topology;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Encrypts the secrets of external keyspaces (passwords, client keys) before they go into the topology store:
 * AES-256-GCM with a fresh random 96-bit nonce per value, so equal secrets never give equal ciphertexts, and the
 * tag makes any change to a stored value fail decryption instead of yielding garbage.
 *
 * <p>The AES key is derived from the configured secret ({@code topology.credentials_key} or the environment variable
 * {@value #ENV}) with PBKDF2-HMAC-SHA256. The salt is fixed because every gateway sharing the store must derive the
 * same key from the same secret; the secret itself must carry the entropy (at least
 * {@value Topology#MIN_CREDENTIALS_KEY_LENGTH} characters).
 *
 * <p>Each value is bound to where it is stored through GCM's associated data ({@code keyspace/field}): a ciphertext
 * copied into another keyspace's row, or from the password column to the key column, does not decrypt.
 *
 * <p>Stored form: {@code v1:} + base64(nonce ‖ ciphertext ‖ tag). Thread-safe: a new {@link Cipher} per call.
 */
public final class SecretBox {
    /** The environment variable read when the config has no {@code topology.credentials_key}. */
    public static final String ENV = "SWITCHYARD_CREDENTIALS_KEY";
    private static final String VERSION = "v1:";
    private static final byte[] SALT = "switchyard external keyspace credentials v1".getBytes(StandardCharsets.UTF_8);
    private static final int ITERATIONS = 210_000; // OWASP 2023 for PBKDF2-HMAC-SHA256
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random;

    private SecretBox(SecretKeySpec key, SecureRandom random) {
        this.key = key;
        this.random = random;
    }

    /**
     * The box for a configured secret.
     *
     * @throws ExternalKeyspaceException {@code BAD_SETTING} if the secret is too short (the message does not show it)
     */
    public static SecretBox fromSecret(String secret, SecureRandom random) {
        Objects.requireNonNull(secret, "secret");
        String problem = Topology.checkCredentialsKey(secret);
        if (problem != null) {
            throw new ExternalKeyspaceException(ExternalKeyspaceException.Reason.BAD_SETTING,
                    "the credentials key " + problem);
        }
        try {
            SecretKeyFactory factory = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            byte[] bytes = factory.generateSecret(new PBEKeySpec(secret.strip().toCharArray(), SALT, ITERATIONS, 256))
                    .getEncoded();
            return new SecretBox(new SecretKeySpec(bytes, "AES"), random);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM lacks PBKDF2WithHmacSHA256: " + e.getMessage(), e);
        }
    }

    /**
     * The box for {@code topology.credentials_key}, or else the environment variable {@value #ENV}; empty when
     * neither is set (then external keyspaces cannot be created). The environment is a parameter so that tests and
     * callers decide where it comes from.
     */
    public static Optional<SecretBox> resolve(Optional<String> configured, Map<String, String> environment,
                                              SecureRandom random) {
        Optional<String> secret = configured.or(() -> Optional.ofNullable(environment.get(ENV)))
                .filter(s -> !s.isBlank());
        return secret.map(s -> fromSecret(s, random));
    }

    /** Encrypts {@code plaintext} for the field {@code field} of keyspace {@code keyspace}. */
    public String seal(String keyspace, String field, String plaintext) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(keyspace, field));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return VERSION + Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
                    .put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed: " + e.getMessage(), e);
        }
    }

    /**
     * Decrypts what {@link #seal} stored for the same keyspace and field.
     *
     * @throws ExternalKeyspaceException {@code WRONG_CREDENTIALS_KEY} if the key differs from the one that sealed it,
     *     or the value was changed or moved
     */
    public String open(String keyspace, String field, String stored) {
        if (!stored.startsWith(VERSION)) {
            throw wrongKey(keyspace, field);
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(stored.substring(VERSION.length()));
            if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
                throw wrongKey(keyspace, field);
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            cipher.updateAAD(aad(keyspace, field));
            return new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException | IllegalArgumentException e) {
            throw wrongKey(keyspace, field);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "SecretBox[AES-256-GCM, key=***]";
    }

    private static byte[] aad(String keyspace, String field) {
        return (keyspace + "/" + field).getBytes(StandardCharsets.UTF_8);
    }

    private static ExternalKeyspaceException wrongKey(String keyspace, String field) {
        return new ExternalKeyspaceException(ExternalKeyspaceException.Reason.WRONG_CREDENTIALS_KEY, "the stored "
                + field + " of external keyspace " + keyspace + " cannot be decrypted with the configured credentials"
                + " key: it was stored with another key (was topology.credentials_key or " + ENV + " changed?). Set"
                + " the original key, or DROP and CREATE the external keyspace again");
    }
}
