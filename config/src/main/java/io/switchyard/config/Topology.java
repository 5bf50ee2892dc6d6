package io.switchyard.config;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The topology store: the MySQL or MariaDB database where gateways share routing rules, workflows and membership.
 *
 * @param dsn the URL as written, {@code mysql://user[:password]@host:port/database} ({@code mariadb://} also works)
 * @param user percent-decoded user name
 * @param password percent-decoded password, "" when the URL has none
 * @param credentialsKey {@code credentials_key}: the secret that external keyspaces' stored passwords and client
 *     keys are encrypted with; empty when not configured (the gateway then looks at
 *     {@code SWITCHYARD_CREDENTIALS_KEY}, see the replication module's {@code CredentialsKey})
 */
public record Topology(String dsn, Endpoint endpoint, String user, String password, String database,
                       Optional<String> credentialsKey) {

    private static final String FORM = "expected mysql://user[:password]@host:port/database";
    /** Shorter keys are guessable; 16 characters of a random string is about 96 bits. */
    public static final int MIN_CREDENTIALS_KEY_LENGTH = 16;

    public Topology {
        Objects.requireNonNull(dsn, "dsn");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(credentialsKey, "credentialsKey");
        if (user.isEmpty() || database.isEmpty()) {
            throw new ConfigException("dsn", Problems.quote(redact(dsn)) + " needs a user and a database; " + FORM);
        }
        String keyProblem = checkCredentialsKey(credentialsKey.orElse(null));
        if (keyProblem != null) {
            throw new ConfigException("credentials_key", keyProblem);
        }
    }

    /** A topology store without a credentials key (the form every config had before external keyspaces). */
    public Topology(String dsn, Endpoint endpoint, String user, String password, String database) {
        this(dsn, endpoint, user, password, database, Optional.empty());
    }

    /** The same store with {@code credentials_key} set. */
    public Topology withCredentialsKey(Optional<String> key) {
        return new Topology(dsn, endpoint, user, password, database, key);
    }

    /**
     * A problem with a credentials key, or {@code null}. The message never shows the key: it is a secret.
     */
    public static String checkCredentialsKey(String key) {
        if (key != null && key.strip().length() < MIN_CREDENTIALS_KEY_LENGTH) {
            return "is too short (" + key.strip().length() + " characters); use at least "
                    + MIN_CREDENTIALS_KEY_LENGTH + " random characters, e.g. from `openssl rand -base64 32`";
        }
        return null;
    }

    /**
     * Parses a topology-store URL. User and password may be percent-encoded ({@code %40} for {@code @}); a bare
     * {@code @} in the password also works because the host part starts after the last {@code @}.
     *
     * @throws ConfigException with path {@code dsn}; the message never shows the password
     */
    public static Topology parse(String dsn) {
        Objects.requireNonNull(dsn, "dsn");
        String shown = Problems.quote(redact(dsn));
        String lower = dsn.toLowerCase(Locale.ROOT);
        int schemeEnd = dsn.indexOf("://");
        if (!lower.startsWith("mysql://") && !lower.startsWith("mariadb://")) {
            throw new ConfigException("dsn", shown + " is not a mysql:// or mariadb:// URL; " + FORM);
        }
        String rest = dsn.substring(schemeEnd + 3);
        int at = rest.lastIndexOf('@');
        if (at < 0) {
            throw new ConfigException("dsn", shown + " has no user; " + FORM);
        }
        String userInfo = rest.substring(0, at);
        String location = rest.substring(at + 1);
        int slash = location.indexOf('/');
        if (slash < 0 || slash == location.length() - 1) {
            throw new ConfigException("dsn", shown + " has no database; " + FORM);
        }
        String database = location.substring(slash + 1);
        if (database.contains("?") || database.contains("/")) {
            throw new ConfigException("dsn", shown + " has a path or query parameters after the database; " + FORM);
        }
        Endpoint endpoint;
        try {
            endpoint = Endpoint.parse(location.substring(0, slash));
        } catch (ConfigException e) {
            throw new ConfigException("dsn", shown + ": " + e.problems().get(0).message());
        }
        int colon = userInfo.indexOf(':');
        String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
        String password = colon < 0 ? "" : userInfo.substring(colon + 1);
        try {
            return new Topology(dsn, endpoint, decode(user, "user"), decode(password, "password"),
                    decode(database, "database"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("dsn", shown + ": " + e.getMessage());
        }
    }

    /** The DSN with its password replaced by {@code ***}, for messages and logs. */
    public static String redact(String dsn) {
        int schemeEnd = dsn.indexOf("://");
        int at = dsn.lastIndexOf('@');
        if (schemeEnd < 0 || at < schemeEnd) {
            return dsn;
        }
        int colon = dsn.indexOf(':', schemeEnd + 3);
        if (colon < 0 || colon > at || colon == at - 1) {
            return dsn;
        }
        return dsn.substring(0, colon + 1) + "***" + dsn.substring(at);
    }

    @Override
    public String toString() {
        return "Topology[dsn=" + redact(dsn) + (credentialsKey.isPresent() ? ", credentials_key=***" : "") + "]";
    }

    /**
     * Percent-decoding without URLDecoder's form rule that turns {@code +} into a space, which breaks passwords. The
     * message names the part, never its text, since the part may be the password.
     */
    private static String decode(String text, String part) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = 0;
        while (i < text.length()) {
            int c = text.codePointAt(i);
            if (c != '%') {
                bytes.writeBytes(new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(c);
                continue;
            }
            if (i + 2 >= text.length() || Character.digit(text.charAt(i + 1), 16) < 0
                    || Character.digit(text.charAt(i + 2), 16) < 0) {
                throw new IllegalArgumentException(
                        "bad percent-encoding in the " + part + " (write %25 for a literal %)");
            }
            bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
            i += 3;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
