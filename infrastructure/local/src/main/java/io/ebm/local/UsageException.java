package io.ebm.local;

/** Bad input to a command: printed as one message on stderr, exit status 2. */
public final class UsageException extends RuntimeException {

    public UsageException(String message) {
        super(message);
    }
}
