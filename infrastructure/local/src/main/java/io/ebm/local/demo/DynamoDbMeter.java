package io.ebm.local.demo;

import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.deploy.Deployment;
import io.ebm.core.incident.Incident;
import io.ebm.core.policy.ReleaseOverride;
import io.ebm.core.store.AlertRecord;
import io.ebm.core.store.AuditEntry;
import io.ebm.core.store.BudgetStore;
import io.ebm.core.store.DeploymentRecord;
import io.ebm.core.store.OutboxEntry;
import io.ebm.core.store.SnapshotRecord;
import io.ebm.core.store.TargetRecord;
import io.ebm.store.ForwardingBudgetStore;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The request units the demo's functions would consume on the deployed table, counted as DynamoDB on demand
 * charges them for the items the DynamoDB adapter writes (docs/dynamodb-table.md): a write unit per KB of each
 * item written (twice in a transaction), a read unit per 4 KB read (strongly consistent), at least one of each
 * per request. Item sizes are the stored JSON plus about 150 bytes of keys and attributes.
 */
public final class DynamoDbMeter extends ForwardingBudgetStore {

    static final int KEYS = 150;

    private final LongAdder reads = new LongAdder();
    private final LongAdder writes = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private final LongAdder historyItems = new LongAdder();
    private final LongAdder historyBytes = new LongAdder();
    /** The stored size of each budget's latest snapshot (known from its write: a read does not render it). */
    private final Map<String, Integer> snapshotSize = new ConcurrentHashMap<>();
    /** Each confirmation item's budgets, by the item they share (16, as the adapter keeps them). */
    private final Map<Integer, Map<String, Boolean>> confirmationParts = new ConcurrentHashMap<>();
    private static final int PARTS = 16;
    /** The budgets' bytes in each confirmation item, kept as budgets join it. */
    private final AtomicLongArray partBytes = new AtomicLongArray(PARTS);

    public DynamoDbMeter(BudgetStore delegate) {
        super(delegate);
    }

    /** What was counted: read units, write units, requests, history items written and their bytes. */
    public record Units(long reads, long writes, long requests, long historyItems, long historyBytes) {
    }

    public Units units() {
        return new Units(reads.sum(), writes.sum(), requests.sum(), historyItems.sum(), historyBytes.sum());
    }

    private void read(long units) {
        reads.add(units);
        requests.increment();
    }

    private void write(long units) {
        writes.add(units);
        requests.increment();
    }

    private static long writeUnits(long bytes) {
        return Math.max(1, (bytes + 1023) / 1024);
    }

    private static long readUnits(long bytes) {
        return Math.max(1, (bytes + 4095) / 4096);
    }

    /**
     * A snapshot item's size: its JSON plus keys, rendered for a budget's first write and every 64th after (a
     * budget's snapshots differ by a few bytes), so that metering does not render JSON on the replay's thread.
     */
    private int sizeOf(SnapshotRecord r) {
        int writes = commits.merge(r.budget(), 1, Integer::sum);
        Integer known = snapshotSize.get(r.budget());
        return known != null && writes % 64 != 1 ? known : r.payload().length() + KEYS;
    }

    private final Map<String, Integer> commits = new ConcurrentHashMap<>();

    @Override
    public Optional<SnapshotRecord> latestSnapshot(String budget) {
        Optional<SnapshotRecord> r = super.latestSnapshot(budget);
        read(readUnits(r.isPresent() ? snapshotSize.getOrDefault(budget, 2500) : KEYS));
        return r;
    }

    /** One BatchGetItem request per 100 budgets, a read unit per 4 KB of each item. */
    @Override
    public Map<String, SnapshotRecord> latestSnapshots(Collection<String> budgets) {
        requests.add((budgets.size() + 99) / 100);
        long units = 0;
        for (String b : budgets) {
            units += readUnits(snapshotSize.getOrDefault(b, KEYS));
        }
        reads.add(units);
        return delegate.latestSnapshots(budgets);
    }

    /** Metered as the commit it is (the forwarding store would hand it on unmetered). */
    @Override
    public boolean putSnapshot(SnapshotRecord snapshot) {
        return commitEvaluation(snapshot, List.of(), List.of(), List.of());
    }

    @Override
    public boolean commitEvaluation(SnapshotRecord snapshot, List<AlertRecord> alerts, List<Incident> changed,
                                    List<OutboxEntry> outbox) {
        int size = sizeOf(snapshot);
        // one transaction (twice the units): the latest and its history item, the alert book, the incidents, the
        // outbox entries; with nothing to announce, two plain writes
        long units = 2 * writeUnits(size);
        units += alerts.size() * writeUnits(600) + changed.size() * writeUnits(600);
        for (OutboxEntry e : outbox) {
            units += writeUnits(e.payload().length() + KEYS);
        }
        boolean announces = !alerts.isEmpty() || !changed.isEmpty() || !outbox.isEmpty();
        writes.add(announces ? 2 * units : units);
        requests.add(announces ? 1 : 2);
        boolean ok = super.commitEvaluation(snapshot, alerts, changed, outbox);
        if (ok) {
            snapshotSize.put(snapshot.budget(), size);
            historyItems.increment();
            historyBytes.add(size);
        }
        return ok;
    }

    @Override
    public void confirmLatest(Instant at, Collection<String> budgets) {
        boolean[] touched = new boolean[PARTS];
        for (String b : budgets) {
            int part = Math.floorMod(b.hashCode(), PARTS);
            if (confirmationParts.computeIfAbsent(part, p -> new ConcurrentHashMap<>()).put(b, true) == null) {
                partBytes.addAndGet(part, b.length() + 2 + 8);
            }
            touched[part] = true;
        }
        for (int part = 0; part < PARTS; part++) {
            if (touched[part]) {
                write(writeUnits(partBytes(part)));
            }
        }
        super.confirmLatest(at, budgets);
    }

    /** A confirmation item's size: its keys, and each budget's name and time. */
    private long partBytes(int part) {
        return KEYS + partBytes.get(part);
    }

    @Override
    public Map<String, Instant> confirmations() {
        long bytes = 0;
        for (int part : confirmationParts.keySet()) {
            bytes += partBytes(part);
        }
        read(readUnits(bytes));
        return super.confirmations();
    }

    @Override
    public Optional<AlertRecord> alertState(String budget) {
        read(1);
        return super.alertState(budget);
    }

    @Override
    public void upsertCounts(String series, NavigableMap<Long, MinuteCounts> minutes) {
        // one UpdateItem per hour item touched (an hour of minutes is under 1 KB)
        long hours = minutes.isEmpty() ? 0
                : Math.floorDiv(minutes.lastKey(), 60) - Math.floorDiv(minutes.firstKey(), 60) + 1;
        write(hours);
        super.upsertCounts(series, minutes);
    }

    @Override
    public void forEachCount(String series, long fromMinute, long toMinute, MinuteSink sink) {
        if (toMinute > fromMinute) {
            // one Query over the hour items, about 1 KB each
            long hours = Math.floorDiv(toMinute - 1, 60) - Math.floorDiv(fromMinute, 60) + 1;
            read(readUnits(hours * 1024));
        }
        super.forEachCount(series, fromMinute, toMinute, sink);
    }

    @Override
    public long countsRevision() {
        read(1);
        return super.countsRevision();
    }

    @Override
    public List<io.ebm.core.store.CountsChange> countsChanges(String series, long afterRevision) {
        read(1);
        return super.countsChanges(series, afterRevision);
    }

    @Override
    public List<OutboxEntry> pendingOutbox() {
        read(1);
        return super.pendingOutbox();
    }

    @Override
    public boolean leaseOutbox(String id, Instant now, Instant until) {
        write(1);
        return super.leaseOutbox(id, now, until);
    }

    @Override
    public void deliveredOutbox(String id) {
        write(1);
        super.deliveredOutbox(id);
    }

    @Override
    public Optional<TargetRecord> target(String key) {
        read(1);
        return super.target(key);
    }

    @Override
    public List<TargetRecord> targets(String keyPrefix) {
        read(1);
        return super.targets(keyPrefix);
    }

    @Override
    public boolean commitTarget(TargetRecord record, List<OutboxEntry> outbox) {
        write(2L * (1 + outbox.size()));
        return super.commitTarget(record, outbox);
    }

    @Override
    public List<Deployment> deployments(String service, Instant from, Instant to) {
        read(1);
        return super.deployments(service, from, to);
    }

    @Override
    public boolean putDeployment(DeploymentRecord record) {
        write(1);
        return super.putDeployment(record);
    }

    @Override
    public Optional<DeploymentRecord> deployment(String service, String pipeline, String execution) {
        read(1);
        return super.deployment(service, pipeline, execution);
    }

    @Override
    public List<ReleaseOverride> overrides(String service) {
        read(1);
        return super.overrides(service);
    }

    @Override
    public void appendAudit(AuditEntry entry) {
        write(1);
        super.appendAudit(entry);
    }

    @Override
    public Map<String, Long> marks(String prefix) {
        read(1);
        return super.marks(prefix);
    }

    @Override
    public void putMark(String key, long value) {
        write(1);
        super.putMark(key, value);
    }

    @Override
    public void clearMark(String key) {
        write(1);
        super.clearMark(key);
    }
}
