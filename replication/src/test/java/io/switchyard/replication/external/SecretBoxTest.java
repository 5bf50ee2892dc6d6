package io.switchyard.replication.external;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretBoxTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final SecretBox BOX = SecretBox.fromSecret("correct horse battery staple", RANDOM);

    @Test
    void sealsWithAFreshNonceAndOpensWhatItSealed() {
        String first = BOX.seal("legacy", "password", "hunter2");
        String second = BOX.seal("legacy", "password", "hunter2");
        assertNotEquals(first, second, "a random nonce per value");
        assertTrue(first.startsWith("v1:"));
        assertFalse(first.contains("hunter2"));
        assertEquals("hunter2", BOX.open("legacy", "password", first));
        assertEquals("", BOX.open("legacy", "password", BOX.seal("legacy", "password", "")));
    }

    @Test
    void aValueOnlyOpensWhereItWasStoredAndWithTheSameKey() {
        String sealed = BOX.seal("legacy", "password", "hunter2");
        assertEquals(ExternalKeyspaceException.Reason.WRONG_CREDENTIALS_KEY, assertThrows(
                ExternalKeyspaceException.class, () -> BOX.open("other", "password", sealed)).reason());
        assertThrows(ExternalKeyspaceException.class, () -> BOX.open("legacy", "client_key", sealed));
        SecretBox other = SecretBox.fromSecret("another key of enough length", RANDOM);
        ExternalKeyspaceException wrong = assertThrows(ExternalKeyspaceException.class,
                () -> other.open("legacy", "password", sealed));
        assertTrue(wrong.getMessage().contains("cannot be decrypted with the configured credentials key"));
        String tampered = sealed.substring(0, sealed.length() - 4) + (sealed.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertThrows(ExternalKeyspaceException.class, () -> BOX.open("legacy", "password", tampered));
        assertThrows(ExternalKeyspaceException.class, () -> BOX.open("legacy", "password", "plain text"));
    }

    @Test
    void theConfigWinsOverTheEnvironmentAndNeitherMeansNoBox() {
        String sealed = SecretBox.resolve(Optional.of("the configured key 123"), Map.of(SecretBox.ENV,
                "the environment key 456"), RANDOM).orElseThrow().seal("k", "password", "x");
        assertEquals("x", SecretBox.fromSecret("the configured key 123", RANDOM).open("k", "password", sealed));
        assertTrue(SecretBox.resolve(Optional.empty(), Map.of(SecretBox.ENV, "the environment key 456"), RANDOM)
                .isPresent());
        assertEquals(Optional.empty(), SecretBox.resolve(Optional.empty(), Map.of(), RANDOM));
        assertEquals(Optional.empty(), SecretBox.resolve(Optional.empty(), Map.of(SecretBox.ENV, " "), RANDOM));
    }

    @Test
    void aShortKeyIsRefusedWithoutShowingIt() {
        ExternalKeyspaceException e = assertThrows(ExternalKeyspaceException.class,
                () -> SecretBox.fromSecret("tiny-key", RANDOM));
        assertFalse(e.getMessage().contains("tiny-key"), e.getMessage());
        assertTrue(e.getMessage().contains("at least 16"), e.getMessage());
        assertFalse(BOX.toString().contains("horse"));
    }
}
