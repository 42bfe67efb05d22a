package io.ebm.core.store;

import io.ebm.core.alert.AlertState;

/**
 * A stored alert state with its version, for optimistic updates. The notice of a transition is not tracked here:
 * it is written to the outbox with the state, in one write, and delivered from there. {@code announced} is kept
 * true by the calculator (the notice is owed by the outbox) and read back by stores written before the outbox.
 */
public record AlertRecord(AlertState state, long version, boolean announced) {
}
