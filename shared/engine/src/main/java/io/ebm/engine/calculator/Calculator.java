package io.ebm.engine.calculator;

import io.ebm.core.port.AlertNotice;
import io.ebm.core.port.AlertNotifier;
import io.ebm.core.port.StatusChange;
import io.ebm.core.port.StatusEvents;
import io.ebm.core.port.StructuredLog;
import io.ebm.core.alert.AlertState;
import io.ebm.core.alert.AlertTier;
import io.ebm.core.alert.AlertTransition;
import io.ebm.core.budget.BudgetEvaluator;
import io.ebm.core.budget.BudgetSpec;
import io.ebm.engine.BudgetPipeline;
import io.ebm.core.budget.EvaluationSettings;
import io.ebm.core.budget.Snapshot;
import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.policy.Exclusion;
import io.ebm.core.policy.Policy;
import io.ebm.core.slo.Slo;
import io.ebm.core.store.AlertRecord;
import io.ebm.core.store.BudgetStore;
import io.ebm.core.store.SnapshotRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns counts into budgets and pages people: for each budget, read the counts, evaluate with the core, store
 * the snapshot under optimistic locking, move each alert tier's state with a conditional write, announce its
 * transitions, and emit an event when the status changes.
 *
 * <p>Evaluators stay in memory between runs (up to {@code cacheLimit} budgets): a warm budget reads only the
 * last {@code overlapMinutes} again, a cold one reads its window once.
 *
 * <p>Exactly-once announcements: a transition is first recorded (version check: of two concurrent runs only
 * one moves the state), then claimed, then published, then marked announced. A failed publish gives the
 * claim back, and the next run sends it; a run delivered twice finds the transition already announced.
 */
public final class Calculator {

    /** Settings of a calculator that do not come from the SLOs. */
    public record Options(EvaluationSettings settings, List<AlertTier> defaultTiers, String statusUrl,
                          long overlapMinutes, int cacheLimit) {
        public Options {
            if (overlapMinutes < 1 || overlapMinutes > BudgetEvaluator.REWRITABLE_MINUTES) {
                throw new IllegalArgumentException("overlap must be 1 to " + BudgetEvaluator.REWRITABLE_MINUTES
                        + " minutes, got " + overlapMinutes);
            }
        }
    }

    /** What one run did. */
    public record Run(int budgets, int snapshotsWritten, int transitions, int notices, int statusEvents,
                      List<String> failures) {
        public Run {
            failures = List.copyOf(failures);
        }
    }

    private static final Duration CLAIM_TTL = Duration.ofDays(1);

    private final BudgetStore store;
    private final AlertNotifier notifier;
    private final StatusEvents events;
    private final Options options;
    private final StructuredLog log;
    private final Map<String, Cached> cache;

    /** A budget kept warm between runs, and the newest minute it has read. */
    private static final class Cached {
        final BudgetPipeline budget;
        long loadedThrough;

        Cached(BudgetPipeline budget) {
            this.budget = budget;
        }
    }

    private static final class Tally {
        int budgets;
        int snapshots;
        int transitions;
        int notices;
        int events;
        final List<String> failures = new ArrayList<>();
    }

    public Calculator(BudgetStore store, AlertNotifier notifier, StatusEvents events, Options options,
                      StructuredLog log) {
        this.store = store;
        this.notifier = notifier;
        this.events = events;
        this.options = options;
        this.log = log;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                return size() > options.cacheLimit();
            }
        };
    }

    /** A run with the calculator's own settings and tiers, and no exclusion window. */
    public Run run(List<Slo> slos, Instant at) {
        return run(slos, at, options.settings(), options.defaultTiers(), List.of());
    }

    /**
     * A run under an error-budget policy: its evaluation settings, its alert tiers (for SLOs that name none),
     * and its exclusion windows, applied to the counts as they are read.
     */
    public Run run(List<Slo> slos, Instant at, Policy policy) {
        EvaluationSettings s = policy.settings();
        if (s.staleAfterMinutes() == 0 && options.settings().staleAfterMinutes() > 0) {
            s = new EvaluationSettings(s.warningRemaining(), s.minimumEvents(), s.currentBurnMinutes(),
                    options.settings().staleAfterMinutes());
        }
        return run(slos, at, s, policy.tiers(), policy.exclusions());
    }

    private Run run(List<Slo> slos, Instant at, EvaluationSettings settings, List<AlertTier> tiers,
                    List<Exclusion> exclusions) {
        Tally tally = new Tally();
        long started = System.nanoTime();
        for (Slo slo : slos) {
            for (BudgetSpec spec : BudgetSpec.of(slo, tiers)) {
                tally.budgets++;
                try {
                    Snapshot snapshot = evaluate(spec, at, settings, exclusions);
                    record(snapshot, tally);
                    for (Snapshot.TierResult tier : snapshot.alerts()) {
                        alert(snapshot, tier, slo.annotations().get("runbook"), tally);
                    }
                } catch (RuntimeException e) {
                    tally.failures.add(spec.name() + ": " + e.getMessage());
                    log.error("budget skipped", Map.of("slo", spec.name(), "reason", String.valueOf(e.getMessage())));
                }
            }
        }
        Run run = new Run(tally.budgets, tally.snapshots, tally.transitions, tally.notices, tally.events,
                tally.failures);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("at", at.toString());
        fields.put("budgets", run.budgets());
        fields.put("snapshotsWritten", run.snapshotsWritten());
        fields.put("transitions", run.transitions());
        fields.put("notices", run.notices());
        fields.put("statusEvents", run.statusEvents());
        fields.put("failed", run.failures());
        fields.put("durationMs", (System.nanoTime() - started) / 1_000_000);
        log.info("calculation run", fields);
        Map<String, Number> metrics = new LinkedHashMap<>();
        metrics.put("Budgets", run.budgets());
        metrics.put("SnapshotsWritten", run.snapshotsWritten());
        metrics.put("AlertNotices", run.notices());
        metrics.put("StatusEvents", run.statusEvents());
        metrics.put("Errors", run.failures().size());
        log.metrics("ErrorBudgetManager", Map.of("Function", "budget-calculator"), metrics, at);
        return run;
    }

    /** The budget's counts brought up to {@code at}, then its snapshot. */
    private Snapshot evaluate(BudgetSpec spec, Instant at, EvaluationSettings settings,
                              List<Exclusion> policyExclusions) {
        long atMinute = Math.floorDiv(at.getEpochSecond(), 60);
        Cached c = cache.get(spec.name());
        if (c == null || !c.budget.spec().equals(spec)
                || !c.budget.exclusions().equals(BudgetPipeline.exclusionsFor(spec, policyExclusions))) {
            // new, changed, or under other exclusion windows: what was read counts differently now
            c = new Cached(BudgetPipeline.of(spec, policyExclusions));
            load(c, atMinute - c.budget.retainedMinutes(), atMinute);
            cache.put(spec.name(), c);
        } else if (atMinute > c.loadedThrough) {
            // only what may have changed: the collector rewrites its overlap, and new minutes arrive
            load(c, Math.max(c.loadedThrough - options.overlapMinutes(), atMinute - c.budget.retainedMinutes()),
                    atMinute);
        }
        return c.budget.snapshot(at, settings);
    }

    private void load(Cached c, long fromMinute, long toMinute) {
        // minutes the collector can no longer rewrite are appended; only the recent ones are kept for rewriting
        long settled = toMinute - BudgetEvaluator.REWRITABLE_MINUTES;
        boolean cold = c.loadedThrough == 0;
        for (String key : c.budget.dataKeys()) {
            for (Map.Entry<Long, MinuteCounts> m : store.counts(key, fromMinute, toMinute).entrySet()) {
                if (cold && m.getKey() < settled) {
                    c.budget.add(key, m.getKey(), m.getValue());
                } else {
                    c.budget.upsert(key, m.getKey(), m.getValue());
                }
            }
        }
        c.loadedThrough = Math.max(c.loadedThrough, toMinute);
    }

    /**
     * Stores the snapshot once per instant. A status change is announced before the snapshot that shows it is
     * written, under a claim on that version: if the event cannot be sent, the snapshot is not written either,
     * and the next run sees the same change and sends it.
     */
    private void record(Snapshot s, Tally tally) {
        Optional<SnapshotRecord> latest = store.latestSnapshot(s.name());
        if (latest.isPresent() && !s.evaluatedAt().isAfter(latest.get().evaluatedAt())) {
            return; // this instant (or a later one) is stored already: a repeated or late run
        }
        long version = latest.map(SnapshotRecord::version).orElse(0L) + 1;
        String previous = latest.map(SnapshotRecord::status).orElse(null);
        if (!s.status().name().equals(previous)) {
            String claim = "status#" + s.name() + "#" + version;
            if (!claim(claim)) {
                return; // another calculator is writing this version
            }
            try {
                events.publish(new StatusChange(s.name(), s.service(), previous, s.status().name(), s.statusReason(),
                        s.evaluatedAt(), version, s.remainingFraction(), s.burnRates(),
                        s.alerts().stream().filter(Snapshot.TierResult::firing).map(t -> t.tier().name()).toList()));
            } catch (RuntimeException e) {
                store.release(claim);
                throw new IllegalStateException("status event " + previous + " -> " + s.status() + " not sent ("
                        + e.getMessage() + "); the next run sends it", e);
            }
            tally.events++;
        }
        if (store.putSnapshot(SnapshotRecord.of(s, version))) {
            tally.snapshots++;
        }
    }

    /** Claims live in real time, whatever instant the run evaluates: they guard against redelivery. */
    private boolean claim(String key) {
        Instant now = Instant.now();
        return store.claim(key, now, now.plus(CLAIM_TTL));
    }

    private void alert(Snapshot s, Snapshot.TierResult t, String runbook, Tally tally) {
        String tier = t.tier().name();
        AlertRecord current = store.alertState(s.name(), tier)
                .orElse(new AlertRecord(AlertState.inactive(s.name(), tier), 0, true));
        AlertTransition move = AlertTransition.next(current.state(), t.firing(), s.evaluatedAt(),
                Duration.ofMinutes(t.tier().alertAfterMinutes()));
        AlertRecord record = current;
        if (!move.next().equals(current.state())) {
            boolean toAnnounce = move.change() != AlertTransition.Change.NONE;
            AlertRecord next = new AlertRecord(move.next(), current.version() + 1, !toAnnounce);
            if (!store.putAlertState(next)) {
                return; // another run moved this tier first; it announces
            }
            record = next;
            if (toAnnounce) {
                tally.transitions++;
            }
        }
        AlertState.Phase phase = record.state().phase();
        if (record.announced() || (phase != AlertState.Phase.FIRING && phase != AlertState.Phase.RESOLVED)) {
            return;
        }
        String claim = "announce#" + record.state().dedupKey() + "#" + phase;
        if (!claim(claim)) {
            return; // being announced by another run
        }
        try {
            notifier.publish(AlertNotice.of(s, t, record.state(), options.statusUrl(), runbook));
        } catch (RuntimeException e) {
            store.release(claim);
            throw new IllegalStateException("alert " + tier + " " + phase + " not sent (" + e.getMessage()
                    + "); the next run sends it", e);
        }
        tally.notices++;
        store.putAlertState(new AlertRecord(record.state(), record.version() + 1, true));
    }
}
