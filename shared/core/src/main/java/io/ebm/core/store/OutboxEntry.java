package io.ebm.core.store;

import java.time.Instant;
import java.util.Objects;

/**
 * Something a state change owes the world (a page, a status event, a policy notice): written in the same atomic
 * write as the change, delivered afterwards, deleted once delivered. Until then any run may lease it for a short
 * while and deliver it; a delivery cut short by a crash is sent again after the lease, under the same {@code id},
 * which is the deduplication key receivers see.
 *
 * @param kind       what the payload is: {@link #ALERT}, {@link #STATUS} or {@link #NOTICE}
 * @param leaseUntil null until a run leases the entry
 */
public record OutboxEntry(String id, String kind, String budget, Instant createdAt, String payload,
                          Instant leaseUntil) {

    public static final String ALERT = "alert";
    public static final String STATUS = "status";
    public static final String NOTICE = "notice";

    public OutboxEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(payload, "payload");
    }

    /** A new entry, not leased. */
    public static OutboxEntry of(String id, String kind, String budget, Instant createdAt, String payload) {
        return new OutboxEntry(id, kind, budget, createdAt, payload, null);
    }

    public boolean leasableAt(Instant now) {
        return leaseUntil == null || !leaseUntil.isAfter(now);
    }
}
