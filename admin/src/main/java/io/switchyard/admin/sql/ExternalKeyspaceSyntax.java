package io.switchyard.admin.sql;

import io.switchyard.config.BackendTls;
import io.switchyard.config.ConfigException;
import io.switchyard.config.Endpoint;
import io.switchyard.replication.external.ExternalAuth;
import io.switchyard.replication.external.ExternalKeyspace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Parses the external-keyspace statements of the admin SQL into {@link Statement}s. A tokenizer rather than one
 * regex: PEM text in {@code SSL CA}, {@code SSL CERT} and {@code SSL KEY} spans lines and holds characters a regex
 * over the whole statement would trip on. Errors are {@link Syntax} (the shape is wrong, MySQL 1064) or
 * {@link IllegalArgumentException} (a value is wrong, 1210); neither message ever quotes a password or key.
 */
final class ExternalKeyspaceSyntax {
    static final String CREATE_FORM = "CREATE EXTERNAL KEYSPACE ks HOST 'host' [PORT 3306] [DATABASE 'db'] USER"
            + " 'user' (PASSWORD 'password' | SSL CERT 'pem' SSL KEY 'pem') [SSL MODE DISABLED | PREFERRED |"
            + " REQUIRED | VERIFY_CA | VERIFY_IDENTITY] [SSL CA 'pem'] [TLS MIN VERSION 'TLSv1.2'] [SSL SERVER NAME"
            + " 'name'] [IMPORT CONNECTIONS n] [SKIP VALIDATION]";
    static final String FORMS = CREATE_FORM + ", VALIDATE EXTERNAL KEYSPACE ks, SHOW EXTERNAL KEYSPACES, ALTER"
            + " EXTERNAL KEYSPACE ks ADD | DROP REPLICA HOST 'host' [PORT 3306], DROP EXTERNAL KEYSPACE ks";

    /** A parsed statement. */
    sealed interface Statement {
    }

    record Create(ExternalKeyspace keyspace, boolean skipValidation) implements Statement {
    }

    record Validate(String name) implements Statement {
    }

    record Show() implements Statement {
    }

    record AlterReplica(String name, boolean add, Endpoint replica) implements Statement {
    }

    record Drop(String name) implements Statement {
    }

    /** The statement is not shaped as any form: a syntax error. */
    static final class Syntax extends RuntimeException {
        Syntax(String message) {
            super(message);
        }
    }

    private record Token(String text, boolean quoted) {
        boolean is(String word) {
            return !quoted && text.equalsIgnoreCase(word);
        }
    }

    private final List<Token> tokens;
    private int at;

    private ExternalKeyspaceSyntax(List<Token> tokens) {
        this.tokens = tokens;
    }

    /** Whether {@code sql} is one of ours (starts with an external-keyspace verb), so that others pass by. */
    static boolean claims(String sql) {
        return sql.matches("(?is)\\s*(CREATE|VALIDATE|ALTER|DROP)\\s+EXTERNAL\\s+KEYSPACE\\b.*"
                + "|\\s*SHOW\\s+EXTERNAL\\s+KEYSPACES?\\b.*");
    }

    static Statement parse(String sql) {
        return new ExternalKeyspaceSyntax(tokenize(sql)).statement();
    }

    private Statement statement() {
        String verb = word();
        if (verb.equals("SHOW")) {
            expect("EXTERNAL");
            expect("KEYSPACES");
            end();
            return new Show();
        }
        expect("EXTERNAL");
        expect("KEYSPACE");
        String name = name();
        Statement statement = switch (verb) {
            case "CREATE" -> create(name);
            case "VALIDATE" -> new Validate(name);
            case "DROP" -> new Drop(name);
            case "ALTER" -> alter(name);
            default -> throw new Syntax("expected " + FORMS);
        };
        end();
        return statement;
    }

    private Statement alter(String name) {
        boolean add = switch (word()) {
            case "ADD" -> true;
            case "DROP", "REMOVE" -> false;
            default -> throw new Syntax("expected ALTER EXTERNAL KEYSPACE " + name + " ADD | DROP REPLICA HOST 'host'"
                    + " [PORT 3306]");
        };
        expect("REPLICA");
        expect("HOST");
        String host = string("HOST");
        int port = ExternalKeyspace.DEFAULT_PORT;
        if (peek("PORT")) {
            at++;
            port = number("PORT");
        }
        try {
            return new AlterReplica(name, add, new Endpoint(host, port));
        } catch (ConfigException e) {
            throw new IllegalArgumentException("REPLICA HOST/PORT: " + e.problems().get(0).message());
        }
    }

    private Statement create(String name) {
        Map<String, Object> seen = new HashMap<>();
        boolean skip = false;
        while (at < tokens.size() && !tokens.get(at).is(";")) {
            String clause = word();
            String key = switch (clause) {
                case "HOST", "PORT", "DATABASE", "USER", "PASSWORD" -> clause;
                case "SSL" -> "SSL " + oneOf("CERT", "KEY", "MODE", "CA", "SERVER");
                case "TLS" -> {
                    expect("MIN");
                    expect("VERSION");
                    yield "TLS MIN VERSION";
                }
                case "IMPORT" -> {
                    expect("CONNECTIONS");
                    yield "IMPORT CONNECTIONS";
                }
                case "SKIP" -> {
                    expect("VALIDATION");
                    yield "SKIP VALIDATION";
                }
                default -> throw new Syntax("unexpected '" + clause + "'; expected " + CREATE_FORM);
            };
            if (key.equals("SSL SERVER")) {
                expect("NAME");
                key = "SSL SERVER NAME";
            }
            if (seen.containsKey(key)) {
                throw new Syntax(key + " is given twice");
            }
            Object value = switch (key) {
                case "PORT", "IMPORT CONNECTIONS" -> number(key);
                case "SSL MODE" -> mode();
                case "SKIP VALIDATION" -> Boolean.TRUE;
                default -> string(key);
            };
            seen.put(key, value);
            skip |= key.equals("SKIP VALIDATION");
        }
        if (!seen.containsKey("HOST") || !seen.containsKey("USER")) {
            throw new Syntax("HOST and USER are required: " + CREATE_FORM);
        }
        boolean password = seen.containsKey("PASSWORD");
        boolean cert = seen.containsKey("SSL CERT") || seen.containsKey("SSL KEY");
        if (password == cert) {
            throw new IllegalArgumentException("give either PASSWORD 'password' or SSL CERT 'pem' SSL KEY 'pem'"
                    + " (mutual TLS), " + (password ? "not both" : "one of them"));
        }
        if (cert && !(seen.containsKey("SSL CERT") && seen.containsKey("SSL KEY"))) {
            throw new IllegalArgumentException("mutual TLS needs both SSL CERT (the client certificate) and SSL KEY"
                    + " (its private key)");
        }
        ExternalAuth auth = password ? new ExternalAuth.Password((String) seen.get("PASSWORD"))
                : new ExternalAuth.ClientCertificate((String) seen.get("SSL CERT"), (String) seen.get("SSL KEY"));
        BackendTls.Mode mode = (BackendTls.Mode) seen.getOrDefault("SSL MODE", BackendTls.Mode.PREFERRED);
        ExternalKeyspace keyspace = new ExternalKeyspace(name, (String) seen.get("HOST"),
                (Integer) seen.getOrDefault("PORT", ExternalKeyspace.DEFAULT_PORT),
                (String) seen.getOrDefault("DATABASE", name), (String) seen.get("USER"), auth, mode,
                optional(seen, "SSL CA"), optional(seen, "TLS MIN VERSION"), optional(seen, "SSL SERVER NAME"),
                (Integer) seen.getOrDefault("IMPORT CONNECTIONS", ExternalKeyspace.DEFAULT_IMPORT_CONNECTIONS),
                List.of());
        return new Create(keyspace, skip);
    }

    private BackendTls.Mode mode() {
        Token token = next("SSL MODE");
        try {
            return BackendTls.Mode.valueOf(token.text().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SSL MODE '" + token.text() + "' is not a mode; use DISABLED,"
                    + " PREFERRED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY");
        }
    }

    private static Optional<String> optional(Map<String, Object> seen, String key) {
        return Optional.ofNullable((String) seen.get(key));
    }

    private String name() {
        Token token = next("the keyspace name");
        if (token.quoted() && !token.text().matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("keyspace name '" + token.text() + "' is not valid: use letters,"
                    + " digits and _");
        }
        return token.text();
    }

    private String oneOf(String... words) {
        String word = word();
        if (!List.of(words).contains(word)) {
            throw new Syntax("unexpected SSL " + word + "; expected SSL CERT, SSL KEY, SSL MODE, SSL CA or SSL SERVER"
                    + " NAME");
        }
        return word;
    }

    private String string(String clause) {
        Token token = next(clause);
        if (!token.quoted()) {
            throw new Syntax(clause + " takes a quoted string, e.g. " + clause + " '...'");
        }
        return token.text();
    }

    private int number(String clause) {
        Token token = next(clause);
        try {
            return Integer.parseInt(token.text());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(clause + " '" + (clause.equals("PASSWORD") ? "***" : token.text())
                    + "' is not a whole number");
        }
    }

    private String word() {
        Token token = next("a keyword");
        if (token.quoted()) {
            throw new Syntax("expected a keyword, found a quoted string; expected " + FORMS);
        }
        return token.text().toUpperCase(Locale.ROOT);
    }

    private void expect(String word) {
        Token token = next(word);
        if (!token.is(word)) {
            throw new Syntax("expected " + word + (token.quoted() ? "" : " instead of '" + token.text() + "'")
                    + "; forms: " + FORMS);
        }
    }

    private boolean peek(String word) {
        return at < tokens.size() && tokens.get(at).is(word);
    }

    private Token next(String what) {
        if (at >= tokens.size() || tokens.get(at).is(";")) {
            throw new Syntax("the statement ends where " + what + " was expected; forms: " + FORMS);
        }
        return tokens.get(at++);
    }

    private void end() {
        if (at < tokens.size() && tokens.get(at).is(";")) {
            at++;
        }
        if (at < tokens.size()) {
            Token extra = tokens.get(at);
            throw new Syntax("unexpected " + (extra.quoted() ? "string" : "'" + extra.text() + "'") + " at the end;"
                    + " forms: " + FORMS);
        }
    }

    /** Words, numbers and {@code ;}; strings in single or double quotes ({@code ''} or {@code \'} escape one). */
    private static List<Token> tokenize(String sql) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'' || c == '"') {
                StringBuilder text = new StringBuilder();
                int j = i + 1;
                while (true) {
                    if (j >= sql.length()) {
                        throw new Syntax("a quoted string is not closed (started at character " + (i + 1) + ")");
                    }
                    char d = sql.charAt(j);
                    if (d == '\\' && j + 1 < sql.length()) {
                        char e = sql.charAt(j + 1);
                        text.append(e == 'n' ? '\n' : e);
                        j += 2;
                    } else if (d == c && j + 1 < sql.length() && sql.charAt(j + 1) == c) {
                        text.append(c);
                        j += 2;
                    } else if (d == c) {
                        break;
                    } else {
                        text.append(d);
                        j++;
                    }
                }
                tokens.add(new Token(text.toString(), true));
                i = j + 1;
            } else if (c == '`') {
                int close = sql.indexOf('`', i + 1);
                if (close < 0) {
                    throw new Syntax("a `quoted` name is not closed");
                }
                tokens.add(new Token(sql.substring(i + 1, close), false));
                i = close + 1;
            } else if (c == ';') {
                tokens.add(new Token(";", false));
                i++;
            } else {
                int j = i;
                while (j < sql.length() && !Character.isWhitespace(sql.charAt(j)) && "'\"`;".indexOf(sql.charAt(j)) < 0) {
                    j++;
                }
                tokens.add(new Token(sql.substring(i, j), false));
                i = j;
            }
        }
        return tokens;
    }
}
