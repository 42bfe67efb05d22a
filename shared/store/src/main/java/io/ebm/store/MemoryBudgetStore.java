package io.ebm.store;

import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.deploy.Deployment;
import io.ebm.core.incident.Incident;
import io.ebm.core.policy.ReleaseOverride;
import io.ebm.core.store.AlertRecord;
import io.ebm.core.store.AuditEntry;
import io.ebm.core.store.BudgetStore;
import io.ebm.core.store.CountsChange;
import io.ebm.core.store.Definition;
import io.ebm.core.store.DeploymentRecord;
import io.ebm.core.store.OutboxEntry;
import io.ebm.core.store.SnapshotRecord;
import io.ebm.core.store.TargetRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A store in the heap, held to the same contract as the others. The replay of the local runtime runs on it
 * (and writes through to the embedded store behind it), so that a month of minutes is not a month of disk
 * round trips.
 *
 * <p>The history can be coarser than the snapshots: with a {@code historyResolution}, a snapshot enters the
 * history when it is at least that much newer than the budget's last history entry, or when its status differs
 * from it. The latest snapshot is always the newest one. A {@code historyLimit} keeps only the newest entries
 * of each budget's history: for a store that only decides what enters a history kept elsewhere.
 */
public final class MemoryBudgetStore implements BudgetStore {

    private final Duration historyResolution;
    private final int historyLimit;
    private final Map<String, List<Definition>> definitions = new TreeMap<>();
    /**
     * Counts packed by hour (60 good, 60 totals, 60 spans in minutes; a total of -1 is a minute without data):
     * few objects to keep.
     */
    private final Map<String, Hours> counts = new HashMap<>();
    /** The newest writes of each series, for readers that ask what changed. */
    private final Map<String, java.util.ArrayDeque<CountsChange>> changes = new HashMap<>();
    /** Per series, the newest revision whose note was dropped to keep the notes bounded. */
    private final Map<String, Long> changesDroppedThrough = new HashMap<>();
    private long countsRevision;
    static final int CHANGES_KEPT = 1024;
    private final Map<String, SnapshotRecord> latest = new HashMap<>();
    private final Map<String, NavigableMap<Instant, SnapshotRecord>> history = new HashMap<>();
    private final Map<String, AlertRecord> alerts = new HashMap<>();
    private final Map<String, Map<String, Incident>> incidents = new HashMap<>();
    private final Map<String, Map<String, DeploymentRecord>> deployments = new HashMap<>();
    /** Each service's deployments in first-seen order, made when asked for and dropped at its next write. */
    private final Map<String, List<Deployment>> deploymentsInOrder = new HashMap<>();
    private final Map<String, AuditEntry> audit = new HashMap<>();
    private final Map<String, ReleaseOverride> overrides = new HashMap<>();
    private final Set<String> revoked = new HashSet<>();
    private final Map<String, OutboxEntry> outbox = new java.util.LinkedHashMap<>();
    /** By key, in key order: the reconciler lists a prefix of them at every run. */
    private final NavigableMap<String, TargetRecord> targets = new TreeMap<>();
    private final NavigableMap<String, Long> marks = new TreeMap<>();

    /** Every snapshot enters the history, and it is all kept. */
    public MemoryBudgetStore() {
        this(Duration.ZERO, Integer.MAX_VALUE);
    }

    public MemoryBudgetStore(Duration historyResolution, int historyLimit) {
        if (historyResolution.isNegative()) {
            throw new IllegalArgumentException("history resolution must not be negative, got " + historyResolution);
        }
        if (historyLimit < 1) {
            throw new IllegalArgumentException("history limit must be at least 1, got " + historyLimit);
        }
        this.historyResolution = historyResolution;
        this.historyLimit = historyLimit;
    }

    @Override
    public synchronized long putDefinition(String name, String document, Instant at) {
        List<Definition> versions = definitions.computeIfAbsent(name, n -> new ArrayList<>());
        long version = versions.size() + 1L;
        versions.add(new Definition(name, version, document, at));
        return version;
    }

    @Override
    public synchronized Optional<Definition> definition(String name) {
        List<Definition> versions = definitions.get(name);
        return versions == null ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
    }

    @Override
    public synchronized List<Definition> definitions() {
        return definitions.values().stream().map(v -> v.get(v.size() - 1)).toList();
    }

    @Override
    public synchronized void upsertCounts(String series, NavigableMap<Long, MinuteCounts> minutes) {
        Hours hours = counts.computeIfAbsent(series, s -> new Hours());
        long hourOf = Long.MIN_VALUE;
        long[] hour = null;
        for (Map.Entry<Long, MinuteCounts> m : minutes.entrySet()) {
            long minute = m.getKey();
            long h = Math.floorDiv(minute, 60);
            if (h != hourOf) { // minutes come in order: one lookup an hour
                hourOf = h;
                hour = hours.getOrAdd(h);
            }
            int i = (int) (minute - h * 60);
            MinuteCounts c = m.getValue();
            hour[i] = c.good();
            hour[60 + i] = c.total();
            hour[120 + i] = c.minutes();
        }
        if (!minutes.isEmpty()) {
            java.util.ArrayDeque<CountsChange> mine = changes.computeIfAbsent(series, k -> new java.util.ArrayDeque<>());
            mine.addLast(new CountsChange(++countsRevision, minutes.firstKey(), minutes.lastKey() + 1));
            if (mine.size() > CHANGES_KEPT) {
                changesDroppedThrough.put(series, mine.pollFirst().revision());
            }
        }
    }

    /**
     * One series' hours, sorted by hour in two parallel arrays: a tick writes and reads the last few minutes, and
     * a new hour is almost always the newest one, appended without the tree descent (and the boxed keys) a map
     * of hours cost on every new hour. A late hour (a backfill) is inserted in place; the two hours used last
     * are also held aside.
     */
    private static final class Hours {
        private long[] keys = new long[32];
        private long[][] hours = new long[32][];
        private int size;
        private long recentKey = Long.MIN_VALUE;
        private long[] recent;
        private long previousKey = Long.MIN_VALUE;
        private long[] previous;

        long[] get(long h) {
            if (h == recentKey) {
                return recent;
            }
            if (h == previousKey) {
                return previous;
            }
            int i = java.util.Arrays.binarySearch(keys, 0, size, h);
            if (i < 0) {
                return null;
            }
            remember(h, hours[i]);
            return hours[i];
        }

        long[] getOrAdd(long h) {
            long[] found = get(h);
            if (found == null) {
                found = new long[180];
                java.util.Arrays.fill(found, 60, 120, -1);
                int at = size == 0 || h > keys[size - 1] ? size : -java.util.Arrays.binarySearch(keys, 0, size, h) - 1;
                if (size == keys.length) {
                    keys = java.util.Arrays.copyOf(keys, 2 * size);
                    hours = java.util.Arrays.copyOf(hours, 2 * size);
                }
                System.arraycopy(keys, at, keys, at + 1, size - at);
                System.arraycopy(hours, at, hours, at + 1, size - at);
                keys[at] = h;
                hours[at] = found;
                size++;
                remember(h, found);
            }
            return found;
        }

        /** The index of the first hour held at or after {@code h}. */
        int from(long h) {
            int i = java.util.Arrays.binarySearch(keys, 0, size, h);
            return i >= 0 ? i : -i - 1;
        }

        private void remember(long h, long[] hour) {
            if (h > recentKey) {
                previousKey = recentKey;
                previous = recent;
                recentKey = h;
                recent = hour;
            } else if (h != recentKey) {
                previousKey = h;
                previous = hour;
            }
        }
    }

    @Override
    public synchronized long countsRevision() {
        return countsRevision;
    }

    @Override
    public synchronized List<CountsChange> countsChanges(String series, long afterRevision) {
        Long droppedThrough = changesDroppedThrough.get(series); // no boxed default on every read
        if (droppedThrough != null && afterRevision < droppedThrough) {
            return List.of(CountsChange.anything(countsRevision));
        }
        java.util.ArrayDeque<CountsChange> mine = changes.get(series);
        if (mine == null || mine.isEmpty() || mine.peekLast().revision() <= afterRevision) {
            return List.of(); // a warm reader's usual question: nothing since
        }
        if (mine.size() == 1 || secondNewest(mine).revision() <= afterRevision) {
            return List.of(mine.peekLast()); // the other usual one: a collector run since
        }
        // newest last: walk back only as far as the revision asked for (a warm reader asks for the last few)
        java.util.LinkedList<CountsChange> out = new java.util.LinkedList<>();
        for (java.util.Iterator<CountsChange> it = mine.descendingIterator(); it.hasNext(); ) {
            CountsChange c = it.next();
            if (c.revision() <= afterRevision) {
                break;
            }
            out.addFirst(c);
        }
        return out;
    }

    private static CountsChange secondNewest(java.util.ArrayDeque<CountsChange> changes) {
        java.util.Iterator<CountsChange> newestFirst = changes.descendingIterator();
        newestFirst.next();
        return newestFirst.next();
    }

    /**
     * The minutes are copied out under the lock and handed to {@code sink} after it: a reader's work per minute
     * (a calculator folding them into its sums) does not hold up the store's other users.
     */
    @Override
    public void forEachCount(String series, long fromMinute, long toMinute, MinuteSink sink) {
        if (fromMinute >= toMinute) {
            return;
        }
        FlatMinutes read = new FlatMinutes((int) Math.min(toMinute - fromMinute, 240));
        synchronized (this) {
            Hours hours = counts.get(series);
            if (hours == null) {
                return;
            }
            long lastHour = Math.floorDiv(toMinute - 1, 60);
            long firstHour = Math.floorDiv(fromMinute, 60);
            if (lastHour - firstHour < 3) {
                // a calculator's usual read is the last few minutes: an hour or two, read by key without a view
                for (long h = firstHour; h <= lastHour; h++) {
                    long[] hour = hours.get(h);
                    if (hour != null) {
                        copy(h * 60, hour, fromMinute, toMinute, read);
                    }
                }
            } else {
                for (int i = hours.from(firstHour); i < hours.size && hours.keys[i] <= lastHour; i++) {
                    copy(hours.keys[i] * 60, hours.hours[i], fromMinute, toMinute, read);
                }
            }
        }
        read.forEach(sink);
    }

    /** The minutes of one hour array within [fromMinute, toMinute) that hold data. */
    private static void copy(long base, long[] hour, long fromMinute, long toMinute, FlatMinutes into) {
        for (int i = (int) Math.max(0, fromMinute - base); i < 60 && base + i < toMinute; i++) {
            if (hour[60 + i] >= 0) {
                into.add(base + i, hour[i], hour[60 + i], hour[120 + i]);
            }
        }
    }

    @Override
    public boolean putSnapshot(SnapshotRecord snapshot) {
        return putSnapshotReportingHistory(snapshot) != Stored.REFUSED;
    }

    /** What a snapshot write did. */
    public enum Stored { REFUSED, LATEST_ONLY, LATEST_AND_HISTORY }

    /** {@link #putSnapshot}, telling whether the snapshot also entered the history. */
    public synchronized Stored putSnapshotReportingHistory(SnapshotRecord snapshot) {
        SnapshotRecord current = latest.get(snapshot.budget());
        long currentVersion = current == null ? 0 : current.version();
        if (snapshot.version() != currentVersion + 1) {
            return Stored.REFUSED;
        }
        latest.put(snapshot.budget(), snapshot);
        NavigableMap<Instant, SnapshotRecord> h = history.computeIfAbsent(snapshot.budget(), b -> new TreeMap<>());
        Map.Entry<Instant, SnapshotRecord> last = h.lastEntry();
        boolean keep = last == null || !last.getValue().status().equals(snapshot.status())
                || !snapshot.evaluatedAt().isBefore(last.getKey().plus(historyResolution));
        if (!keep) {
            return Stored.LATEST_ONLY;
        }
        h.put(snapshot.evaluatedAt(), snapshot);
        if (h.size() > historyLimit) {
            h.pollFirstEntry();
        }
        return Stored.LATEST_AND_HISTORY;
    }

    @Override
    public boolean commitEvaluation(SnapshotRecord snapshot, List<AlertRecord> alertRecords, List<Incident> changed,
                                    List<OutboxEntry> entries) {
        return commitEvaluationReportingHistory(snapshot, alertRecords, changed, entries) != Stored.REFUSED;
    }

    /** {@link #commitEvaluation}, telling whether the snapshot also entered the history. */
    public synchronized Stored commitEvaluationReportingHistory(SnapshotRecord snapshot, List<AlertRecord> alertRecords,
                                                                List<Incident> changed, List<OutboxEntry> entries) {
        SnapshotRecord current = latest.get(snapshot.budget());
        if (snapshot.version() != (current == null ? 0 : current.version()) + 1) {
            return Stored.REFUSED;
        }
        for (AlertRecord a : alertRecords) {
            AlertRecord stored = alerts.get(a.budget());
            if (a.version() != (stored == null ? 0 : stored.version()) + 1) {
                return Stored.REFUSED;
            }
        }
        Stored result = putSnapshotReportingHistory(snapshot);
        // loops, not capturing lambdas: every evaluation commits here, and C1 allocates a lambda through a runtime call
        for (AlertRecord a : alertRecords) {
            alerts.put(a.budget(), a);
        }
        for (Incident i : changed) {
            incidents.computeIfAbsent(i.slo(), k -> new LinkedHashMap<>()).put(i.id(), i);
        }
        for (OutboxEntry e : entries) {
            outbox.putIfAbsent(e.id(), e);
        }
        return result;
    }

    @Override
    public synchronized List<OutboxEntry> pendingOutbox() {
        if (outbox.isEmpty()) {
            return List.of(); // asked at every delivery, most of which owe nothing
        }
        return outbox.values().stream().sorted(Comparator.comparing(OutboxEntry::createdAt)
                .thenComparing(OutboxEntry::id)).toList();
    }

    @Override
    public synchronized boolean leaseOutbox(String id, Instant now, Instant until) {
        OutboxEntry e = outbox.get(id);
        if (e == null || !e.leasableAt(now)) {
            return false;
        }
        outbox.put(id, new OutboxEntry(e.id(), e.kind(), e.budget(), e.createdAt(), e.payload(), until));
        return true;
    }

    @Override
    public synchronized void deliveredOutbox(String id) {
        outbox.remove(id);
    }

    @Override
    public synchronized Optional<TargetRecord> target(String key) {
        return Optional.ofNullable(targets.get(key));
    }

    @Override
    public synchronized List<TargetRecord> targets(String keyPrefix) {
        return List.copyOf(targets.subMap(keyPrefix, true, keyPrefix + "\uffff", false).values());
    }

    @Override
    public synchronized boolean commitTarget(TargetRecord record, List<OutboxEntry> entries) {
        TargetRecord current = targets.get(record.key());
        if (record.version() != (current == null ? 0 : current.version()) + 1) {
            return false;
        }
        targets.put(record.key(), record);
        entries.forEach(e -> outbox.putIfAbsent(e.id(), e));
        return true;
    }

    @Override
    public synchronized Map<String, Long> marks(String prefix) {
        return new TreeMap<>(marks.subMap(prefix, true, prefix + "\uffff", false));
    }

    private final Map<String, Instant> confirmed = new HashMap<>();
    /** {@link #confirmed} as last handed out, until the next confirmation: read twice a tick, written once. */
    private Map<String, Instant> confirmedCopy = Map.of();

    @Override
    public synchronized void confirmLatest(Instant at, java.util.Collection<String> budgets) {
        for (String b : budgets) {
            confirmed.merge(b, at, (x, y) -> x.isAfter(y) ? x : y);
        }
        confirmedCopy = null;
    }

    @Override
    public synchronized Map<String, Instant> confirmations() {
        if (confirmedCopy == null) {
            confirmedCopy = Map.copyOf(confirmed);
        }
        return confirmedCopy;
    }

    @Override
    public synchronized void putMark(String key, long value) {
        marks.put(key, value);
    }

    @Override
    public synchronized void clearMark(String key) {
        marks.remove(key);
    }

    @Override
    public synchronized Optional<SnapshotRecord> latestSnapshot(String budget) {
        return Optional.ofNullable(latest.get(budget));
    }

    /** Under one lock, without an optional for each. */
    @Override
    public synchronized Map<String, SnapshotRecord> latestSnapshots(java.util.Collection<String> budgets) {
        Map<String, SnapshotRecord> out = new HashMap<>();
        for (String b : budgets) {
            SnapshotRecord r = latest.get(b);
            if (r != null) {
                out.put(b, r);
            }
        }
        return out;
    }

    @Override
    public synchronized List<SnapshotRecord> snapshotHistory(String budget, Instant from, Instant to) {
        NavigableMap<Instant, SnapshotRecord> h = history.get(budget);
        return h == null || !from.isBefore(to) ? List.of() : List.copyOf(h.subMap(from, true, to, false).values());
    }

    @Override
    public synchronized boolean putAlertState(AlertRecord state) {
        String key = state.budget();
        AlertRecord current = alerts.get(key);
        long currentVersion = current == null ? 0 : current.version();
        if (state.version() != currentVersion + 1) {
            return false;
        }
        alerts.put(key, state);
        return true;
    }

    @Override
    public synchronized Optional<AlertRecord> alertState(String budget) {
        return Optional.ofNullable(alerts.get(budget));
    }

    @Override
    public synchronized List<Incident> incidents(String budget, Instant from, Instant to) {
        Map<String, Incident> of = incidents.getOrDefault(budget, Map.of());
        return of.values().stream().filter(i -> i.openDuring(from, to))
                .sorted(Comparator.comparing(Incident::openedAt).thenComparing(Incident::id)).toList();
    }

    @Override
    public synchronized boolean putDeployment(DeploymentRecord record) {
        Deployment d = record.deployment();
        Map<String, DeploymentRecord> of = deployments.computeIfAbsent(d.service(), k -> new HashMap<>());
        DeploymentRecord current = of.get(d.key());
        if (record.version() != (current == null ? 0 : current.version()) + 1) {
            return false;
        }
        of.put(d.key(), record);
        deploymentsInOrder.remove(d.service());
        return true;
    }

    @Override
    public synchronized Optional<DeploymentRecord> deployment(String service, String pipeline, String execution) {
        return Optional.ofNullable(deployments.getOrDefault(service, Map.of()).get(pipeline + "#" + execution));
    }

    @Override
    public synchronized List<Deployment> deployments(String service, Instant from, Instant to) {
        // kept in order until the service's next deployment write: the calculator asks at every run
        List<Deployment> all = deploymentsInOrder.computeIfAbsent(service, s -> {
            List<Deployment> of = new ArrayList<>();
            deployments.getOrDefault(s, Map.of()).values().forEach(r -> of.add(r.deployment()));
            return Deployment.inFirstSeenOrder(of);
        });
        return Deployment.select(all, from, to);
    }

    @Override
    public synchronized void appendAudit(AuditEntry entry) {
        audit.putIfAbsent(entry.id(), entry);
    }

    @Override
    public synchronized List<AuditEntry> audit(String service, Instant from, Instant to) {
        return audit.values().stream()
                .filter(e -> e.service().equals(service) && !e.at().isBefore(from) && e.at().isBefore(to))
                .sorted(Comparator.comparing(AuditEntry::at).thenComparing(AuditEntry::id)).toList();
    }

    @Override
    public synchronized void putOverride(ReleaseOverride override) {
        overrides.put(override.id(), override);
        revoked.remove(override.id());
    }

    @Override
    public synchronized List<ReleaseOverride> overrides(String service) {
        if (overrides.isEmpty()) {
            return List.of(); // the usual answer, asked for each service at every reconcile: no stream to set up
        }
        return overrides.values().stream().filter(o -> o.service().equals(service) && !revoked.contains(o.id()))
                .sorted(Comparator.comparing(ReleaseOverride::id)).toList();
    }

    @Override
    public synchronized boolean revokeOverride(String id) {
        return overrides.containsKey(id) && revoked.add(id);
    }

}
