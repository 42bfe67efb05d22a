package io.ebm.core.port;

/** Where status changes go; the policy function listens there. */
@FunctionalInterface
public interface StatusEvents {

    void publish(StatusChange change);
}
