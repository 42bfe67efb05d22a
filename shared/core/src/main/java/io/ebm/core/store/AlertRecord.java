package io.ebm.core.store;

import io.ebm.core.alert.AlertState;

/**
 * A stored alert state with its version, for optimistic updates. {@code announced} tells whether the
 * notification of the state's last transition (fired or resolved) has gone out: a transition is recorded first,
 * then announced, so that a failed publish is retried by the next run and a repeated run does not send it twice.
 */
public record AlertRecord(AlertState state, long version, boolean announced) {
}
