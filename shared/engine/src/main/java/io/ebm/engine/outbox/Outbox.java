package io.ebm.engine.outbox;

import io.ebm.core.port.AlertNotice;
import io.ebm.core.port.AlertNotifier;
import io.ebm.core.port.StatusChange;
import io.ebm.core.port.StatusEvents;
import io.ebm.core.store.BudgetStore;
import io.ebm.core.store.OutboxEntry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Delivers what state changes owe the world. An entry is written in the same atomic write as its change; this
 * class sends it afterwards: lease it for a short while (so that two runs do not send it at once), send it,
 * delete it. A run killed between sending and deleting leaves the entry leased; once the lease runs out the next
 * run sends it again, under the same id, which receivers use to drop the repeat. Nothing is ever lost, and a
 * duplicate needs a crash in that window.
 *
 * <p>Each deliverer sends only its own kinds: the calculator alerts and status events, the policy its notices.
 */
public final class Outbox {

    /** Long enough for one send, short enough that a crashed run's page goes out on the next tick. */
    public static final Duration LEASE = Duration.ofMinutes(2);

    /**
     * What one delivery pass did: what it delivered, by kind, and how many of its kinds' entries are still
     * waiting (leased by another run, or failed this time).
     */
    public record Delivery(int alerts, int statusEvents, int notices, int undelivered, List<String> failures) {
        public Delivery {
            failures = List.copyOf(failures);
        }
    }

    private final BudgetStore store;
    private final AlertNotifier notifier;
    private final StatusEvents events;
    private final Clock clock;

    /** {@code clock} is real time: leases guard against runs of the same moment, whatever instant they evaluate. */
    public Outbox(BudgetStore store, AlertNotifier notifier, StatusEvents events, Clock clock) {
        this.store = store;
        this.notifier = notifier;
        this.events = events;
        this.clock = clock;
    }

    /** Sends every pending entry of these kinds that no other run holds. */
    public Delivery deliver(Set<String> kinds) {
        int[] delivered = new int[3];
        int waiting = 0;
        List<String> failures = new ArrayList<>();
        for (OutboxEntry e : store.pendingOutbox()) {
            if (!kinds.contains(e.kind())) {
                continue;
            }
            Instant now = clock.instant();
            if (!e.leasableAt(now) || !store.leaseOutbox(e.id(), now, now.plus(LEASE))) {
                waiting++;
                continue;
            }
            try {
                send(e);
            } catch (RuntimeException ex) {
                // the lease runs out and the next run sends it: the entry stays until it is delivered
                failures.add(e.kind() + " " + e.id() + " not delivered: " + ex.getMessage());
                waiting++;
                continue;
            }
            store.deliveredOutbox(e.id());
            delivered[switch (e.kind()) {
                case OutboxEntry.ALERT -> 0;
                case OutboxEntry.STATUS -> 1;
                default -> 2;
            }]++;
        }
        return new Delivery(delivered[0], delivered[1], delivered[2], waiting, failures);
    }

    private void send(OutboxEntry e) {
        switch (e.kind()) {
            case OutboxEntry.ALERT, OutboxEntry.NOTICE -> notifier.publish(AlertNotice.fromJson(e.payload()));
            case OutboxEntry.STATUS -> events.publish(StatusChange.fromJson(e.payload()));
            default -> throw new IllegalStateException("unknown outbox kind " + e.kind());
        }
    }
}
