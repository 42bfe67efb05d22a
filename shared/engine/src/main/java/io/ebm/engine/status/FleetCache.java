package io.ebm.engine.status;

import io.ebm.core.budget.BudgetSpec;
import io.ebm.core.budget.Snapshot;
import io.ebm.core.policy.Policy;
import io.ebm.core.port.StructuredLog;
import io.ebm.core.slo.Slo;
import io.ebm.core.store.BudgetStore;
import io.ebm.core.store.Definition;
import io.ebm.engine.StoredDefinitions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The definitions and every budget's latest snapshot, as the gate, the dashboard and the pages read them on
 * every request. Definitions are parsed once and again only when a stored version changes; snapshots are parsed
 * once per version. Both are read from the store at most once per {@code readEvery} (a second, deployed: the
 * calculator writes every few minutes), by one request while the others answer from what was read last;
 * freshness is still judged per request, from each snapshot's own time.
 */
final class FleetCache {

    /** What one read of the store gave: the SLOs, and the latest snapshot of each of their budgets (raw). */
    record Fleet(List<Slo> slos, List<Snapshot> latest, Map<String, java.time.Instant> confirmed) {
    }

    private final BudgetStore store;
    private final StructuredLog log;
    private final long readEveryNanos;
    private final ReentrantLock refreshing = new ReentrantLock();

    private volatile Fleet fleet;
    private volatile long readAt;
    /** Parsed definitions: the versions they were parsed from. */
    private Map<String, Long> definitionVersions = Map.of();
    private List<Slo> slos = List.of();
    /** Parsed snapshots by budget, with the version and time each was parsed from. */
    private record Parsed(long version, java.time.Instant evaluatedAt, Snapshot snapshot) {
    }

    private final Map<String, Parsed> parsed = new HashMap<>();

    FleetCache(BudgetStore store, StructuredLog log, java.time.Duration readEvery) {
        this.store = store;
        this.log = log;
        this.readEveryNanos = readEvery.toNanos();
    }

    /** The fleet under {@code policy} (its tiers name the budgets), read again when older than readEvery. */
    Fleet get(Policy policy) {
        Fleet f = fleet;
        boolean current = f != null && tiersOf == policy;
        if (current && System.nanoTime() - readAt < readEveryNanos) {
            return f;
        }
        if (current) {
            if (!refreshing.tryLock()) {
                return f; // another request is reading: this one answers from the last read
            }
        } else {
            refreshing.lock();
        }
        try {
            return read(policy);
        } finally {
            refreshing.unlock();
        }
    }

    private static boolean same(List<Snapshot> a, List<Snapshot> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }

    /** The policy whose tiers named the budgets of the last read. */
    private volatile Policy tiersOf;

    private Fleet read(Policy policy) {
        long started = System.nanoTime();
        Map<String, Long> versions = new HashMap<>();
        List<Definition> definitions = store.definitions();
        for (Definition d : definitions) {
            versions.put(d.name(), d.version());
        }
        if (!versions.equals(definitionVersions)) {
            slos = StoredDefinitions.parse(definitions, log);
            definitionVersions = versions;
        }
        List<Snapshot> latest = new ArrayList<>();
        Map<String, Parsed> seen = new HashMap<>();
        List<String> budgets = BudgetSpec.names(slos, policy.tiers());
        Map<String, io.ebm.core.store.SnapshotRecord> records = store.latestSnapshots(budgets); // in batches
        for (String budget : budgets) {
            io.ebm.core.store.SnapshotRecord r = records.get(budget);
            if (r == null) {
                continue;
            }
            Parsed known = parsed.get(budget);
            Parsed kept = known != null && known.version() == r.version() && known.evaluatedAt().equals(r.evaluatedAt())
                    ? known : new Parsed(r.version(), r.evaluatedAt(), r.snapshot());
            seen.put(budget, kept);
            latest.add(kept.snapshot());
        }
        parsed.keySet().retainAll(seen.keySet());
        parsed.putAll(seen);
        Map<String, java.time.Instant> confirmed = store.confirmations();
        Fleet last = fleet;
        // nothing new: the same read (what was drawn from it stays drawn)
        Fleet f = last != null && last.slos().equals(slos) && same(last.latest(), latest) && tiersOf == policy
                && last.confirmed().equals(confirmed)
                ? last : new Fleet(List.copyOf(slos), List.copyOf(latest), Map.copyOf(confirmed));
        fleet = f;
        tiersOf = policy;
        readAt = started;
        return f;
    }
}
