/**
 * Authentication plugins: mysql_native_password and caching_sha2_password (fast path, cleartext over TLS, RSA
 * without TLS), both the server side (verify what applications send) and the client side (scramble towards
 * backends), plus nonce generation. Randomness is always injected. Comparisons are constant-time.
 */
package io.switchyard.proxy.auth;
