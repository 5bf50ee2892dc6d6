package io.switchyard.config;

import java.util.Objects;

/** The account the gateway itself uses on a keyspace's backend servers (for queries, copy and replication). */
public record Credentials(String user, String password) {

    public static final Credentials DEFAULT = new Credentials("root", "");

    public Credentials {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Problems problems = new Problems();
        check(problems, user);
        problems.throwIfAny();
    }

    static void check(Problems problems, String user) {
        if (user != null) {
            Checks.add(problems, "user", Checks.notBlank(user));
        }
    }

    /** Never prints the password: configs end up in logs. */
    @Override
    public String toString() {
        return "Credentials[user=" + user + ", password=" + (password.isEmpty() ? "" : "***") + "]";
    }
}
