package io.switchyard.sandbox;

/**
 * The sandbox could not do what was asked: MariaDB binaries missing, a server that would not start, a statement that
 * failed. The message says what happened and, where there is one, what to do; for a server that died it carries the
 * tail of that server's error log.
 */
public class SandboxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SandboxException(String message) {
        super(message);
    }

    public SandboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
