package io.ebm.core.store;

import java.time.Instant;

/**
 * A stored snapshot. {@code payload} is the snapshot as JSON, written and read by the calculator; the store
 * only needs the key fields.
 */
public record SnapshotRecord(String budget, Instant evaluatedAt, String status, long version, String payload) {
}
