package io.ebm.store;

import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.deploy.Deployment;
import io.ebm.core.incident.Incident;
import io.ebm.core.policy.ReleaseOverride;
import io.ebm.core.store.AlertRecord;
import io.ebm.core.store.AuditEntry;
import io.ebm.core.store.BudgetStore;
import io.ebm.core.store.Definition;
import io.ebm.core.store.DeploymentRecord;
import io.ebm.core.store.OutboxEntry;
import io.ebm.core.store.SnapshotRecord;
import io.ebm.core.store.TargetRecord;
import io.ebm.store.MemoryBudgetStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The heap store in front, the embedded store behind: reads and version checks are answered from memory, and
 * every write the front accepted is replayed on the SQLite file in order, one transaction per {@link #flush},
 * on a thread of its own. A month replayed in seconds is then not a month of single-row commits, and the
 * file ends up holding what the front holds (the history at the front's resolution).
 *
 * <p>Within a batch, a budget's latest snapshot and its newest confirmation are written once and a series'
 * minutes in one write. Up to {@link #IN_FLIGHT} batches are written or wait their turn while the next one fills,
 * so that a batch slower than usual (a checkpoint of the file, the writer's core busy) does not hold up the thread
 * that fills the next. A failed batch fails the next flush or the close, and no batch after it is written: the file
 * holds a prefix of the batches, never one with a gap. The front should keep a history of one entry per budget:
 * the history is read back from the file.
 */
public final class WriteBehindStore implements BudgetStore, AutoCloseable {

    private final MemoryBudgetStore front;
    private final SqliteBudgetStore back;
    /** One thread: batches are written in the order they were handed on. */
    private final ExecutorService writer;
    private List<Consumer<SqliteBudgetStore>> pending = new ArrayList<>();
    /** Only the last snapshot of a budget in a batch becomes the file's latest: one write, not one per tick. */
    private Map<String, SnapshotRecord> latest = new LinkedHashMap<>();
    /** Only a budget's newest confirmation in a batch reaches the file (the file keeps the latest anyway). */
    private Map<String, Instant> confirmed = new LinkedHashMap<>();
    /**
     * Minutes written since the last flush, by series, as flat (minute, good, total, span) runs: merged on the
     * writer thread into one write per series. Flat, because they wait for the flush: as maps of records they
     * were most of what outlived a young collection.
     */
    private Map<String, FlatMinutes> counts = new LinkedHashMap<>();
    /**
     * How many minutes each series wrote in the last batch: the next one starts that large (batches are alike),
     * instead of growing from a few minutes by copying.
     */
    private final Map<String, Integer> lastBatchMinutes = new java.util.HashMap<>();
    /**
     * Batches handed to the writer and not yet known to be written, oldest first. Three: with one, the filling
     * thread waited for the file at one flush in three of the demo's month (0.34–0.50 s of a 4.5 s replay).
     */
    private static final int IN_FLIGHT = 3;
    private final java.util.ArrayDeque<Future<?>> writing = new java.util.ArrayDeque<>();
    /** Held while batches are handed on or waited for (not while the front is written): flushes take turns. */
    private final Object handing = new Object();
    /** The first batch that failed: later batches are skipped, and every flush and the close report it. */
    private volatile RuntimeException failed;

    public WriteBehindStore(MemoryBudgetStore front, SqliteBudgetStore back) {
        this(front, back, Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ebm-store-writer");
            t.setDaemon(true);
            return t;
        }));
    }

    /** With the writer thread given: a single-thread executor, which a test can hold busy. */
    WriteBehindStore(MemoryBudgetStore front, SqliteBudgetStore back, ExecutorService writer) {
        this.front = front;
        this.back = back;
        this.writer = writer;
    }

    private synchronized void later(Consumer<SqliteBudgetStore> write) {
        pending.add(write);
    }

    /**
     * Hands what was written since the last flush to the writer thread; waits only while {@link #IN_FLIGHT}
     * earlier batches are unwritten. Throws if an earlier batch failed.
     */
    public void flush() {
        synchronized (handing) {
            handOn();
        }
    }

    private void handOn() {
        List<Consumer<SqliteBudgetStore>> batch;
        synchronized (this) {
            batch = pending;
            counts.forEach((series, writes) -> {
                lastBatchMinutes.put(series, writes.minutes());
                batch.add(b -> b.upsertCounts(series, writes));
            });
            latest.values().forEach(s -> batch.add(b -> b.copySnapshot(s, true, false)));
            Map<Instant, List<String>> byInstant = new TreeMap<>();
            confirmed.forEach((budget, at) -> byInstant.computeIfAbsent(at, k -> new ArrayList<>()).add(budget));
            byInstant.forEach((at, budgets) -> batch.add(b -> b.confirmLatest(at, budgets)));
            confirmed = new LinkedHashMap<>();
            pending = new ArrayList<>();
            latest = new LinkedHashMap<>();
            counts = new LinkedHashMap<>();
        }
        while (!writing.isEmpty() && (writing.peekFirst().isDone() || writing.size() >= IN_FLIGHT)) {
            awaitOldest();
        }
        reportFailure();
        if (!batch.isEmpty()) {
            writing.addLast(writer.submit(() -> write(batch)));
        }
    }

    /** On the writer thread: one batch in one transaction, unless an earlier one failed. */
    private void write(List<Consumer<SqliteBudgetStore>> batch) {
        if (failed != null) {
            return; // a batch after a failed one would leave the file with a gap
        }
        try {
            back.batch(() -> batch.forEach(w -> w.accept(back)));
        } catch (RuntimeException e) {
            failed = e;
        }
    }

    private void awaitOldest() {
        try {
            writing.peekFirst().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while writing the embedded store", e);
        } catch (ExecutionException e) {
            failed = new StoreException(e.getCause().getMessage(), e.getCause()); // an Error on the writer
        }
        writing.pollFirst();
    }

    /** Hands on what is pending and waits until every batch is written (or one failed, which it reports). */
    private void drain() {
        synchronized (handing) {
            handOn();
            while (!writing.isEmpty()) {
                awaitOldest();
            }
            reportFailure();
        }
    }

    private void reportFailure() {
        RuntimeException e = failed;
        if (e != null) {
            throw new StoreException("the embedded store refused a batch of writes, none of it or of the batches "
                    + "after it was kept: " + e.getMessage(), e);
        }
    }

    /** Flushes, waits for the last batch, and stops the writer; the embedded store stays open. */
    @Override
    public void close() {
        try {
            drain();
        } finally {
            writer.shutdown();
        }
    }

    @Override
    public long putDefinition(String name, String document, Instant at) {
        long version = front.putDefinition(name, document, at);
        later(b -> b.putDefinition(name, document, at));
        return version;
    }

    @Override
    public Optional<Definition> definition(String name) {
        return front.definition(name);
    }

    @Override
    public List<Definition> definitions() {
        return front.definitions();
    }

    @Override
    public void upsertCounts(String series, NavigableMap<Long, MinuteCounts> minutes) {
        front.upsertCounts(series, minutes);
        synchronized (this) {
            // looked up first: a capturing lambda is allocated per call under C1, and this is every collector write
            FlatMinutes batch = counts.get(series);
            if (batch == null) {
                Integer last = lastBatchMinutes.get(series);
                batch = new FlatMinutes(last == null ? 16 : last);
                counts.put(series, batch);
            }
            batch.addAll(minutes);
        }
    }

    @Override
    public void forEachCount(String series, long fromMinute, long toMinute, MinuteSink sink) {
        front.forEachCount(series, fromMinute, toMinute, sink);
    }

    @Override
    public long countsRevision() {
        return front.countsRevision();
    }

    @Override
    public java.util.List<io.ebm.core.store.CountsChange> countsChanges(String series, long afterRevision) {
        return front.countsChanges(series, afterRevision);
    }

    @Override
    public boolean commitEvaluation(SnapshotRecord snapshot, List<AlertRecord> alerts, List<Incident> changed,
                                    List<OutboxEntry> outbox) {
        MemoryBudgetStore.Stored stored = front.commitEvaluationReportingHistory(snapshot, alerts, changed, outbox);
        if (stored == MemoryBudgetStore.Stored.REFUSED) {
            return false;
        }
        synchronized (this) {
            latest.put(snapshot.budget(), snapshot);
            if (stored == MemoryBudgetStore.Stored.LATEST_AND_HISTORY) {
                pending.add(b -> b.copySnapshot(snapshot, false, true));
            }
            if (!alerts.isEmpty() || !changed.isEmpty() || !outbox.isEmpty()) {
                List<AlertRecord> alertCopy = List.copyOf(alerts);
                List<Incident> incidentCopy = List.copyOf(changed);
                List<OutboxEntry> outboxCopy = List.copyOf(outbox);
                pending.add(b -> {
                    alertCopy.forEach(b::putAlertState);
                    b.putIncidents(incidentCopy);
                    b.addOutbox(outboxCopy);
                });
            }
        }
        return true;
    }

    @Override
    public List<OutboxEntry> pendingOutbox() {
        return front.pendingOutbox();
    }

    @Override
    public boolean leaseOutbox(String id, Instant now, Instant until) {
        if (!front.leaseOutbox(id, now, until)) {
            return false;
        }
        later(b -> b.leaseOutbox(id, now, until));
        return true;
    }

    @Override
    public void deliveredOutbox(String id) {
        front.deliveredOutbox(id);
        later(b -> b.deliveredOutbox(id));
    }

    @Override
    public Optional<TargetRecord> target(String key) {
        return front.target(key);
    }

    @Override
    public List<TargetRecord> targets(String keyPrefix) {
        return front.targets(keyPrefix);
    }

    @Override
    public boolean commitTarget(TargetRecord record, List<OutboxEntry> outbox) {
        if (!front.commitTarget(record, outbox)) {
            return false;
        }
        List<OutboxEntry> outboxCopy = List.copyOf(outbox);
        later(b -> {
            b.putTarget(record);
            b.addOutbox(outboxCopy);
        });
        return true;
    }

    @Override
    public Map<String, Long> marks(String prefix) {
        return front.marks(prefix);
    }

    @Override
    public java.util.Map<String, SnapshotRecord> latestSnapshots(java.util.Collection<String> budgets) {
        return front.latestSnapshots(budgets);
    }

    @Override
    public void confirmLatest(Instant at, java.util.Collection<String> budgets) {
        front.confirmLatest(at, budgets);
        synchronized (this) {
            for (String b : budgets) {
                confirmed.merge(b, at, (was, now) -> now.isAfter(was) ? now : was);
            }
        }
    }

    @Override
    public java.util.Map<String, Instant> confirmations() {
        return front.confirmations();
    }

    @Override
    public void putMark(String key, long value) {
        front.putMark(key, value);
        later(b -> b.putMark(key, value));
    }

    @Override
    public void clearMark(String key) {
        front.clearMark(key);
        later(b -> b.clearMark(key));
    }

    @Override
    public Optional<SnapshotRecord> latestSnapshot(String budget) {
        return front.latestSnapshot(budget);
    }

    /** The front decides what enters the history; the history itself is read back from the file. */
    @Override
    public List<SnapshotRecord> snapshotHistory(String budget, Instant from, Instant to) {
        drain();
        return back.snapshotHistory(budget, from, to);
    }

    @Override
    public boolean putAlertState(AlertRecord state) {
        if (!front.putAlertState(state)) {
            return false;
        }
        later(b -> b.putAlertState(state));
        return true;
    }

    @Override
    public Optional<AlertRecord> alertState(String budget) {
        return front.alertState(budget);
    }

    @Override
    public boolean putDeployment(DeploymentRecord record) {
        if (!front.putDeployment(record)) {
            return false;
        }
        later(b -> b.putDeployment(record));
        return true;
    }

    @Override
    public Optional<DeploymentRecord> deployment(String service, String pipeline, String execution) {
        return front.deployment(service, pipeline, execution);
    }

    @Override
    public List<Deployment> deployments(String service, Instant from, Instant to) {
        return front.deployments(service, from, to);
    }

    @Override
    public List<Incident> incidents(String budget, Instant from, Instant to) {
        return front.incidents(budget, from, to);
    }

    @Override
    public void appendAudit(AuditEntry entry) {
        front.appendAudit(entry);
        later(b -> b.appendAudit(entry));
    }

    @Override
    public List<AuditEntry> audit(String service, Instant from, Instant to) {
        return front.audit(service, from, to);
    }

    @Override
    public void putOverride(ReleaseOverride override) {
        front.putOverride(override);
        later(b -> b.putOverride(override));
    }

    @Override
    public List<ReleaseOverride> overrides(String service) {
        return front.overrides(service);
    }

    @Override
    public boolean revokeOverride(String id) {
        if (!front.revokeOverride(id)) {
            return false;
        }
        later(b -> b.revokeOverride(id));
        return true;
    }
}
