package io.switchyard.admin.api;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.config.User;
import io.switchyard.proxy.codec.MySqlError;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * HTTP Basic authentication against the config's users, the same accounts and passwords as the MySQL port. The API
 * is for operators: a valid user without the admin role gets 403, as the admin SQL answers 1227. A user whose
 * password is empty signs in with an empty password or none ({@code root:} or {@code root}).
 */
public final class BasicAuth {
    /** Sent with every 401 so that browsers and curl know to ask. */
    public static final String CHALLENGE = "Basic realm=\"switchyard\", charset=\"UTF-8\"";

    private final SwitchyardConfig config;

    public BasicAuth(SwitchyardConfig config) {
        this.config = config;
    }

    /**
     * The admin user the {@code Authorization} header names.
     *
     * @throws ApiError.Failure 401 (code 1045) without valid credentials, 403 (code 1227) for a non-admin
     */
    public User admin(Optional<String> authorization) {
        String header = authorization.orElseThrow(() -> denied("", false).failure()).strip();
        if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw denied("", false).failure();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw denied("", false).failure();
        }
        int colon = decoded.indexOf(':');
        String name = colon < 0 ? decoded : decoded.substring(0, colon);
        String password = colon < 0 ? "" : decoded.substring(colon + 1);
        Optional<User> user = config.user(name);
        // Compare in constant time even for an unknown user, so the timing does not tell which names exist.
        byte[] expected = user.map(User::password).orElse("\u0000unknown").getBytes(StandardCharsets.UTF_8);
        boolean matches = MessageDigest.isEqual(expected, password.getBytes(StandardCharsets.UTF_8));
        if (user.isEmpty() || !matches) {
            throw denied(name, !password.isEmpty()).failure();
        }
        if (user.get().role() != User.Role.ADMIN) {
            throw new ApiError(HttpResponseStatus.FORBIDDEN, MySqlError.ER_SPECIFIC_ACCESS_DENIED_ERROR.code(),
                    MySqlError.ER_SPECIFIC_ACCESS_DENIED_ERROR.message("SWITCHYARD ADMIN")).failure();
        }
        return user.get();
    }

    private static ApiError denied(String name, boolean usingPassword) {
        return new ApiError(HttpResponseStatus.UNAUTHORIZED, MySqlError.ER_ACCESS_DENIED_ERROR.code(),
                MySqlError.ER_ACCESS_DENIED_ERROR.message(name, "http", usingPassword ? "YES" : "NO")
                        + (name.isEmpty() ? "; send HTTP Basic credentials of an admin user" : ""));
    }
}
