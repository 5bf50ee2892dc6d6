package io.switchyard.proxy.codec;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Collation ids as sent in the handshake and column definitions ({@code SHOW COLLATION}, column Id). The handshake
 * "character set" byte is such an id; only its low 8 bits travel there.
 */
public final class Collations {
    public static final int LATIN1_SWEDISH_CI = 8;
    public static final int UTF8MB3_GENERAL_CI = 33;
    public static final int UTF8MB4_GENERAL_CI = 45;
    public static final int UTF8MB4_BIN = 46;
    public static final int BINARY = 63;
    public static final int UTF8MB3_BIN = 83;
    public static final int UTF8MB4_UNICODE_CI = 224;
    /** The MySQL 8.0 default collation; MariaDB does not know it and answers in its own default. */
    public static final int UTF8MB4_0900_AI_CI = 255;

    private Collations() {
    }

    /**
     * The Java charset to decode text of a collation with: windows-1252 for the latin1 collations (MySQL's latin1 is
     * cp1252), ISO-8859-1 for binary (one char per byte, lossless), UTF-8 for everything else.
     */
    public static Charset javaCharset(int collationId) {
        return switch (collationId) {
            case LATIN1_SWEDISH_CI, 5, 15, 31, 47, 48, 49, 94 -> Charset.forName("windows-1252");
            case BINARY -> StandardCharsets.ISO_8859_1;
            default -> StandardCharsets.UTF_8;
        };
    }
}
