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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * Sends every pending entry of these kinds that no other run holds. Alert notices that share a grouping key
     * (and a transition) go out as one notice, once the oldest of them has waited its grouping interval.
     */
    public Delivery deliver(Set<String> kinds) {
        int[] delivered = new int[3];
        int waiting = 0;
        List<String> failures = new ArrayList<>();
        Instant now = clock.instant();
        for (Batch batch : batches(store.pendingOutbox(), kinds)) {
            if (now.isBefore(batch.readyAt())) {
                waiting += batch.entries().size();
                continue;
            }
            List<OutboxEntry> leased = new ArrayList<>();
            for (OutboxEntry e : batch.entries()) {
                Instant at = clock.instant();
                if (e.leasableAt(at) && store.leaseOutbox(e.id(), at, at.plus(LEASE))) {
                    leased.add(e);
                } else {
                    waiting++;
                }
            }
            if (leased.isEmpty()) {
                continue;
            }
            try {
                send(leased);
            } catch (RuntimeException ex) {
                // the lease runs out and the next run sends it: the entry stays until it is delivered
                leased.forEach(e -> failures.add(e.kind() + " " + e.id() + " not delivered: " + ex.getMessage()));
                waiting += leased.size();
                continue;
            }
            for (OutboxEntry e : leased) {
                store.deliveredOutbox(e.id());
                delivered[switch (e.kind()) {
                    case OutboxEntry.ALERT -> 0;
                    case OutboxEntry.STATUS -> 1;
                    default -> 2;
                }]++;
            }
        }
        return new Delivery(delivered[0], delivered[1], delivered[2], waiting, failures);
    }

    /**
     * Entries that go out as one, and when: once the oldest has waited its grouping interval (at once when it is
     * alone, or not an alert notice).
     */
    record Batch(List<OutboxEntry> entries, Instant readyAt) {
    }

    /**
     * The pending entries of these kinds in the order they were written, each alone, except alert notices that
     * share a grouping key with the same transition: those form one batch (keys chain: A shares with B, B with C).
     * Each notice is read once.
     */
    static List<Batch> batches(List<OutboxEntry> pending, Set<String> kinds) {
        if (pending.isEmpty()) {
            return List.of(); // most runs owe nothing: no stream to set up
        }
        List<OutboxEntry> mine = pending.stream().filter(e -> kinds.contains(e.kind())).toList();
        int[] parent = new int[mine.size()];
        AlertNotice.Grouping[] grouping = new AlertNotice.Grouping[mine.size()];
        Map<String, Integer> firstWithKey = new HashMap<>();
        for (int i = 0; i < mine.size(); i++) {
            parent[i] = i;
            OutboxEntry e = mine.get(i);
            if (!e.kind().equals(OutboxEntry.ALERT)) {
                continue;
            }
            AlertNotice notice = AlertNotice.fromJson(e.payload());
            grouping[i] = notice.grouping();
            if (grouping[i] == null) {
                continue;
            }
            for (String key : grouping[i].keys()) {
                Integer j = firstWithKey.putIfAbsent(notice.attributes().get("transition") + "|" + key, i);
                if (j != null) {
                    parent[root(parent, i)] = root(parent, j);
                }
            }
        }
        Map<Integer, List<OutboxEntry>> byRoot = new LinkedHashMap<>();
        Map<Integer, Instant> readyAt = new HashMap<>();
        for (int i = 0; i < mine.size(); i++) {
            int r = root(parent, i);
            byRoot.computeIfAbsent(r, x -> new ArrayList<>()).add(mine.get(i));
            // the batch's first entry is its oldest: its interval decides
            readyAt.putIfAbsent(r, grouping[i] == null ? Instant.MIN
                    : mine.get(i).createdAt().plus(grouping[i].waitFor()));
        }
        List<Batch> out = new ArrayList<>();
        byRoot.forEach((r, entries) -> out.add(new Batch(entries, readyAt.get(r))));
        return out;
    }

    private static int root(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private void send(List<OutboxEntry> leased) {
        if (leased.size() == 1) {
            send(leased.get(0));
            return;
        }
        notifier.publish(AlertNotice.combine(leased.stream().map(e -> AlertNotice.fromJson(e.payload())).toList()));
    }

    private void send(OutboxEntry e) {
        switch (e.kind()) {
            case OutboxEntry.ALERT, OutboxEntry.NOTICE -> notifier.publish(AlertNotice.fromJson(e.payload()));
            case OutboxEntry.STATUS -> events.publish(StatusChange.fromJson(e.payload()));
            default -> throw new IllegalStateException("unknown outbox kind " + e.kind());
        }
    }
}
