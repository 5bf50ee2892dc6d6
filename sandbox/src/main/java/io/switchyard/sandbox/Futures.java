package io.switchyard.sandbox;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for parallel steps: all of them finish (or fail) before the first failure is reported. */
final class Futures {
    private Futures() {
    }

    /**
     * Waits for every future; then, if any failed, throws the first failure with the others suppressed.
     *
     * @param what what the futures do, for the message of a wrapped checked exception
     */
    static void awaitAll(List<? extends Future<?>> futures, String what) {
        RuntimeException failure = null;
        for (Future<?> future : futures) {
            RuntimeException e = null;
            try {
                future.get();
            } catch (ExecutionException ee) {
                Throwable cause = ee.getCause();
                if (cause instanceof Error error) {
                    throw error;
                }
                e = cause instanceof RuntimeException re ? re : new SandboxException(what + ": " + cause, cause);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                futures.forEach(f -> f.cancel(true));
                SandboxException interrupted = new SandboxException("interrupted while " + what, ie);
                if (failure != null) {
                    interrupted.addSuppressed(failure);
                }
                throw interrupted;
            }
            if (e != null) {
                if (failure == null) {
                    failure = e;
                } else if (failure != e) {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
