package io.ebm.store;

/** The embedded store failed (file unreadable, disk full, …). */
public final class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
