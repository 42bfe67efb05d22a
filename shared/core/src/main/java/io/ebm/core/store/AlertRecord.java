package io.ebm.core.store;

import io.ebm.core.alert.AlertState;

/** A stored alert state with its version, for optimistic updates. */
public record AlertRecord(AlertState state, long version) {
}
