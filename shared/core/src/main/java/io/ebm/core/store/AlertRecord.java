package io.ebm.core.store;

import io.ebm.core.incident.AlertBook;

/**
 * The stored alerting state of one budget with its version, for optimistic updates. What its changes announce is
 * written to the outbox with it, in one write, and delivered from there.
 */
public record AlertRecord(AlertBook book, long version) {

    public String budget() {
        return book.slo();
    }
}
