package io.switchyard.config;

import java.util.Objects;

/**
 * A client account of the gateway (not a backend MySQL account).
 *
 * @param password clear text, because the gateway must verify mysql_native_password and caching_sha2_password
 *     scrambles itself; "" means no password
 */
public record User(String name, String password, Role role) {

    /** What a user may do. Only admins may run the admin SQL commands (others get error 1227). */
    public enum Role {
        ADMIN,
        APP
    }

    /** MySQL's limit on user name length (since 5.7.8). */
    static final int MAX_NAME_LENGTH = 32;

    public User {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(role, "role");
        Problems problems = new Problems();
        check(problems, name);
        problems.throwIfAny();
    }

    static void check(Problems problems, String name) {
        if (name != null && (name.isEmpty() || name.length() > MAX_NAME_LENGTH
                || name.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c)))) {
            problems.add("name", Problems.quote(name) + " is not a valid user name (1.." + MAX_NAME_LENGTH
                    + " characters, no spaces)");
        }
    }

    /** Never prints the password: configs end up in logs. */
    @Override
    public String toString() {
        return "User[name=" + name + ", password=" + (password.isEmpty() ? "" : "***") + ", role=" + role + "]";
    }
}
