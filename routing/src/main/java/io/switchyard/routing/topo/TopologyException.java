package io.switchyard.routing.topo;

/**
 * The topology store could not be read or written: it is unreachable, a statement failed, or what it holds does not
 * fit the config. Messages name the store by its redacted DSN (never the password) and say what was being done.
 *
 * <p>A gateway that already runs keeps its last snapshot through these ({@link TopologyWatcher}); an admin command
 * that fails with one reports it and changes nothing, since every write is one transaction.
 */
public class TopologyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TopologyException(String message) {
        super(message);
    }

    public TopologyException(String message, Throwable cause) {
        super(message, cause);
    }
}
