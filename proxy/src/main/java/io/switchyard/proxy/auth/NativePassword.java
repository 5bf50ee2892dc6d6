package io.switchyard.proxy.auth;

import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * mysql_native_password
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_authentication_methods_native_password_authentication.html):
 * the client sends {@code SHA1(password) XOR SHA1(seed + SHA1(SHA1(password)))}; the server stores
 * {@code SHA1(SHA1(password))} (shown by MySQL as {@code *} + 40 hex digits) and checks the response against it.
 * An empty password is sent as an empty response. Seeds are the 20-byte nonce without its trailing NUL.
 */
public final class NativePassword {
    public static final String PLUGIN_NAME = "mysql_native_password";

    private NativePassword() {
    }

    /** The client's auth response for {@code password} (its bytes, normally UTF-8) and the server's nonce. */
    public static byte[] scramble(byte[] password, byte[] seed) {
        if (password.length == 0) {
            return new byte[0];
        }
        byte[] stage1 = Digests.sha1(password);
        byte[] stage2 = Digests.sha1(stage1);
        return Digests.xor(stage1, Digests.sha1(seed, stage2));
    }

    /** The stored hash: SHA1(SHA1(password)), or an empty array for an empty password. */
    public static byte[] storedHash(byte[] password) {
        return password.length == 0 ? new byte[0] : Digests.sha1(Digests.sha1(password));
    }

    /**
     * Parses the {@code *2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19} form of {@code mysql.user.authentication_string};
     * the empty string is the empty password.
     */
    public static byte[] parseStoredHash(String text) {
        if (text.isEmpty()) {
            return new byte[0];
        }
        if (text.length() != 41 || text.charAt(0) != '*') {
            throw new IllegalArgumentException("a mysql_native_password hash is '*' and 40 hex digits, was '"
                    + text + "'");
        }
        return HexFormat.of().parseHex(text, 1, 41);
    }

    /** The {@code *HEX} form of a stored hash, as MySQL shows it. */
    public static String formatStoredHash(byte[] storedHash) {
        return storedHash.length == 0 ? "" : "*" + HexFormat.of().withUpperCase().formatHex(storedHash);
    }

    /**
     * Checks a client's auth response: recovers {@code SHA1(password)} as
     * {@code response XOR SHA1(seed + stored)} and compares its SHA-1 with the stored hash in constant time.
     */
    public static boolean verify(byte[] response, byte[] seed, byte[] storedHash) {
        if (storedHash.length == 0 || response.length == 0) {
            return storedHash.length == 0 && response.length == 0;
        }
        if (response.length != storedHash.length) {
            return false;
        }
        byte[] stage1 = Digests.xor(response, Digests.sha1(seed, storedHash));
        return MessageDigest.isEqual(Digests.sha1(stage1), storedHash);
    }
}
