package io.switchyard.replication.verify;

/**
 * A verification could not run: the table has no usable key, the two sides' schemas differ where the comparison
 * depends on them, or a server failed. The message names the table and the side; SQL failures keep the driver's
 * exception as the cause. A table whose diff ran to the end never throws this: differences are reported, not thrown.
 */
public final class VerifyException extends RuntimeException {
    public VerifyException(String message) {
        super(message);
    }

    public VerifyException(String message, Throwable cause) {
        super(message, cause);
    }
}
