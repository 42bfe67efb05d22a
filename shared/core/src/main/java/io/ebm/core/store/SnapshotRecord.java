package io.ebm.core.store;

import io.ebm.core.budget.Snapshot;
import io.ebm.core.budget.SnapshotJson;
import java.time.Instant;
import java.util.Objects;

/**
 * A stored snapshot. {@code payload} is the snapshot as JSON, written and read by the calculator; the store
 * only needs the key fields.
 *
 * <p>A record made {@linkplain #of from a snapshot} writes its JSON the first time a store asks for it, and
 * hands the snapshot itself to whoever reads it from a store that kept the record as it was (the heap store):
 * a store that never persists a snapshot never pays for its JSON. Two records are equal when their fields
 * and payloads are.
 */
public final class SnapshotRecord {

    private final String budget;
    private final Instant evaluatedAt;
    private final String status;
    private final long version;
    private final Snapshot snapshot;
    private volatile String payload;

    public SnapshotRecord(String budget, Instant evaluatedAt, String status, long version, String payload) {
        this(budget, evaluatedAt, status, version, null, Objects.requireNonNull(payload, "payload"));
    }

    private SnapshotRecord(String budget, Instant evaluatedAt, String status, long version, Snapshot snapshot,
                           String payload) {
        this.budget = Objects.requireNonNull(budget, "budget");
        this.evaluatedAt = Objects.requireNonNull(evaluatedAt, "evaluatedAt");
        this.status = Objects.requireNonNull(status, "status");
        this.version = version;
        this.snapshot = snapshot;
        this.payload = payload;
    }

    /** The record of {@code snapshot} at {@code version}; its JSON is written when first asked for. */
    public static SnapshotRecord of(Snapshot snapshot, long version) {
        return new SnapshotRecord(snapshot.name(), snapshot.evaluatedAt(), snapshot.status().name(), version, snapshot,
                null);
    }

    public String budget() {
        return budget;
    }

    public Instant evaluatedAt() {
        return evaluatedAt;
    }

    public String status() {
        return status;
    }

    public long version() {
        return version;
    }

    public String payload() {
        String text = payload;
        if (text == null) {
            text = SnapshotJson.toText(snapshot);
            payload = text;
        }
        return text;
    }

    /** The snapshot itself: kept when the record was made from one, read from the payload otherwise. */
    public Snapshot snapshot() {
        return snapshot != null ? snapshot : SnapshotJson.fromText(payload());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SnapshotRecord r && version == r.version && budget.equals(r.budget)
                && evaluatedAt.equals(r.evaluatedAt) && status.equals(r.status) && payload().equals(r.payload());
    }

    @Override
    public int hashCode() {
        return Objects.hash(budget, evaluatedAt, status, version);
    }

    @Override
    public String toString() {
        return "SnapshotRecord[budget=" + budget + ", evaluatedAt=" + evaluatedAt + ", status=" + status
                + ", version=" + version + "]";
    }
}
