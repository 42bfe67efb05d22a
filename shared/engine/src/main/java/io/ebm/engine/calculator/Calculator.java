package io.ebm.engine.calculator;

import io.ebm.core.alert.AlertRules;
import io.ebm.core.alert.AlertTier;
import io.ebm.core.budget.BudgetEvaluator;
import io.ebm.core.budget.BudgetSpec;
import io.ebm.core.budget.EvaluationSettings;
import io.ebm.core.budget.Snapshot;
import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.deploy.Deployment;
import io.ebm.core.deploy.Ledger;
import io.ebm.core.incident.AlertBook;
import io.ebm.core.policy.Exclusion;
import io.ebm.core.policy.Policy;
import io.ebm.core.port.AlertNotice;
import io.ebm.core.port.AlertNotifier;
import io.ebm.core.port.StatusChange;
import io.ebm.core.port.StatusEvents;
import io.ebm.core.port.StructuredLog;
import io.ebm.core.slo.Slo;
import io.ebm.core.store.AlertRecord;
import io.ebm.core.store.BudgetStore;
import io.ebm.core.store.CountsChange;
import io.ebm.core.store.CountsStore;
import io.ebm.core.store.OutboxEntry;
import io.ebm.core.store.SnapshotRecord;
import io.ebm.engine.BudgetPipeline;
import io.ebm.engine.outbox.Outbox;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns counts into budgets and pages people: for each budget, read the counts, evaluate, move its alert book
 * (the tiers of one SLO are one incident: {@link AlertBook}), and commit the snapshot, the book, the incidents it
 * changed and what they must announce (incident transitions, a status change) in one atomic write. Then the
 * outbox is delivered: SNS notices (grouped across SLOs when the policy asks) and EventBridge status events.
 *
 * <p>Evaluators stay in memory between runs (up to {@code cacheLimit} budgets): a warm budget reads the new
 * minutes, the last {@code overlapMinutes} again, and whatever the store notes as written since its last read,
 * however old (a backfill, a collector's retry); a change older than the evaluator can rewrite minute by minute
 * reloads the budget as a cold one. A cold budget reads its window once.
 *
 * <p>Time only moves forward: an evaluation no newer than the stored snapshot (a late shard, a redelivered
 * run) changes nothing and pages nobody. Two runs of one instant race on the snapshot's version; the loser
 * writes nothing. A page is never lost: it is in the store before anyone is told, and stays there until sent.
 */
public final class Calculator {

    /**
     * The least overlap over a store that leaves recent writes unnoted (DynamoDB): the minutes it may leave
     * unnoted ({@link io.ebm.core.store.CountsStore#RECENT_MINUTES}), and three more for writers' clock skew.
     * The embedded stores note every write, so the local runtime may use less.
     */
    public static final long MIN_OVERLAP_MINUTES = io.ebm.core.store.CountsStore.RECENT_MINUTES + 3;

    /** Settings of a calculator that do not come from the SLOs. */
    public record Options(EvaluationSettings settings, List<AlertTier> defaultTiers, String statusUrl,
                          long overlapMinutes, int cacheLimit, Double burningShare) {
        public Options {
            if (overlapMinutes < 1 || overlapMinutes > BudgetEvaluator.REWRITABLE_MINUTES) {
                throw new IllegalArgumentException("overlap must be 1 to " + BudgetEvaluator.REWRITABLE_MINUTES
                        + " minutes, got " + overlapMinutes);
            }
            if (burningShare != null && !(burningShare > 0 && burningShare <= 1)) {
                throw new IllegalArgumentException("the burning share must be above 0 and at most 1, got "
                        + burningShare);
            }
        }

        /** Without the burning mode. */
        public Options(EvaluationSettings settings, List<AlertTier> defaultTiers, String statusUrl,
                       long overlapMinutes, int cacheLimit) {
            this(settings, defaultTiers, statusUrl, overlapMinutes, cacheLimit, null);
        }
    }

    /**
     * What one run did. {@code stale}: budgets whose stored snapshot was as new as this run's instant or newer
     * (a late or repeated run), left alone. {@code notices} and {@code statusEvents} count what was delivered,
     * this run's and earlier runs' undelivered ones alike; {@code undelivered} what is still waiting.
     * {@code transitions}: incident notices owed by this run (open, escalate, resolve); {@code flaps}: incidents
     * that opened within a resolve hold of the previous one's end.
     */
    public record Run(int budgets, int snapshotsWritten, int transitions, int notices, int statusEvents,
                      List<String> failures, int stale, int undelivered, int flaps, int confirmed) {
        public Run {
            failures = List.copyOf(failures);
        }
    }

    /**
     * The deployments a run reads: those of the last week (a rule judges a deployment within a week of landing at
     * most) and, as the store adds, the one in force before that.
     */
    static final long DEPLOYMENTS_LOOK_BACK_DAYS = 7;

    /** What the calculator announces; the policy delivers its own notices. */
    private static final Set<String> KINDS = Set.of(OutboxEntry.ALERT, OutboxEntry.STATUS);

    private final BudgetStore store;
    private final Outbox outbox;
    private final Options options;
    private final StructuredLog log;
    private final Map<String, Cached> cache;
    private final Map<Slo, SpecsOf> specs = new IdentityHashMap<>();

    /** A budget kept warm between runs, the newest minute it has read, and the store's revision it has read. */
    private static final class Cached {
        final BudgetPipeline budget;
        long loadedThrough;
        long revision;
        /** The policy's exclusion list its exclusions were checked against last (the same list: not again). */
        List<Exclusion> checkedAgainst;
        /**
         * The rules' answers for the stored latest snapshot (that object, under that policy): a latest snapshot
         * is confirmed, not rewritten, for up to an hour, and each run asks whether the new one decides alike.
         */
        Snapshot answered;
        Policy answeredBy;
        boolean[] answers;

        Cached(BudgetPipeline budget) {
            this.budget = budget;
        }
    }

    private static final class Tally {
        int budgets;
        int snapshots;
        int transitions;
        int stale;
        int flaps;
        int confirmed;
        final List<String> failures = new ArrayList<>();
    }

    public Calculator(BudgetStore store, AlertNotifier notifier, StatusEvents events, Options options,
                      StructuredLog log) {
        this(store, notifier, events, options, log, Clock.systemUTC());
    }

    /** {@code wallClock} times the outbox's leases: real time, whatever instant a run evaluates. */
    public Calculator(BudgetStore store, AlertNotifier notifier, StatusEvents events, Options options,
                      StructuredLog log, Clock wallClock) {
        this.store = store;
        this.outbox = new Outbox(store, notifier, events, wallClock);
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
        return run(slos, at, options.settings(), options.defaultTiers(), List.of(), AlertRules.DEFAULTS,
                Set.of(Policy.LEDGER_SPAN), true, Policy.NONE);
    }

    /**
     * A run under an error-budget policy: its evaluation settings, its alert tiers (for SLOs that name none),
     * and its exclusion windows, applied to the counts as they are read.
     */
    public Run run(List<Slo> slos, Instant at, Policy policy) {
        return run(slos, at, policy.settings().staleAfterUnlessSet(options.settings().staleAfterMinutes()),
                policy.tiers(), policy.exclusions(), policy.alerting(), policy.deploymentSpans(), true, policy);
    }

    /**
     * A run that commits its evaluations and leaves their announcements in the outbox for {@link #deliver}: one
     * shard of a tick whose shards finish together, so that one delivery after all of them can group the notices
     * of SLOs evaluated by different shards.
     */
    public Run runWithoutDelivery(List<Slo> slos, Instant at, Policy policy) {
        return run(slos, at, policy.settings().staleAfterUnlessSet(options.settings().staleAfterMinutes()),
                policy.tiers(), policy.exclusions(), policy.alerting(), policy.deploymentSpans(), false, policy);
    }

    /** Delivers what the outbox holds of the calculator's kinds (alerts, status events). */
    public Outbox.Delivery deliver() {
        return outbox.deliver(KINDS);
    }

    private Run run(List<Slo> slos, Instant at, EvaluationSettings settings, List<AlertTier> tiers,
                    List<Exclusion> exclusions, AlertRules rules, Set<Duration> spans, boolean deliverNow,
                    Policy policy) {
        Tally tally = new Tally();
        long started = System.nanoTime();
        // one read of every budget's confirmation: a run no later than one is late, as one no later than a snapshot
        Map<String, Instant> confirmations = store.confirmations();
        // the counts' revision, read once before any budget reads counts: a write during the run is read next time
        long revision = store.countsRevision();
        // every budget's latest snapshot, read in batches before the run (a write between is refused by version)
        List<String> names = new ArrayList<>();
        for (Slo slo : slos) {
            budgetsOf(slo, tiers).forEach(spec -> names.add(spec.name()));
        }
        Map<String, SnapshotRecord> latest = store.latestSnapshots(names);
        List<String> unchanged = new ArrayList<>();
        // the burning mode's marks, read once: only a budget that starts or stops burning writes one
        Map<String, Long> burning = options.burningShare() == null ? Map.of() : store.marks(Burning.MARK_PREFIX);
        // each service's deployments, read once a run: the newest in force is costed on every budget's snapshot
        Map<String, List<Deployment>> deployments = new HashMap<>();
        for (Slo slo : slos) {
            for (BudgetSpec spec : budgetsOf(slo, tiers)) {
                tally.budgets++;
                try {
                    // only the newest landed by the snapshots' instant (the minute) is costed: found once for
                    // the service, not for each of its budgets
                    List<Deployment> ds = deployments.get(slo.service());
                    if (ds == null) { // not computeIfAbsent: C1 allocates its capturing lambda through a runtime call
                        Deployment newest = Ledger.newestLanded(store.deployments(slo.service(),
                                at.minus(Duration.ofDays(DEPLOYMENTS_LOOK_BACK_DAYS)), at.plusSeconds(60)),
                                Instant.ofEpochSecond(Math.floorDiv(at.getEpochSecond(), 60) * 60));
                        ds = newest == null ? List.of() : List.of(newest);
                        deployments.put(slo.service(), ds);
                    }
                    Cached c = upToDate(spec, at, exclusions, revision);
                    Snapshot s = commit(c.budget.snapshot(at, settings, ds, spans), c, slo, rules, policy,
                            Optional.ofNullable(latest.get(spec.name())), confirmations, unchanged, tally);
                    if (s != null && options.burningShare() != null) {
                        Burning.mark(store, s, options.burningShare(), burning);
                    }
                } catch (RuntimeException e) {
                    tally.failures.add(spec.name() + ": " + e.getMessage());
                    log.error("budget skipped", Map.of("slo", spec.name(), "reason", String.valueOf(e.getMessage())));
                }
            }
        }
        if (!unchanged.isEmpty()) {
            try {
                store.confirmLatest(at, unchanged); // one write for every budget whose latest snapshot still holds
                tally.confirmed = unchanged.size();
            } catch (RuntimeException e) {
                // their snapshots age towards staleAfter until a later run confirms them or writes new ones
                tally.failures.add("confirmations: " + e.getMessage());
                log.error("confirmations not written", Map.of("budgets", unchanged.size(),
                        "reason", String.valueOf(e.getMessage())));
            }
        }
        Outbox.Delivery delivery = deliverNow ? deliver() : new Outbox.Delivery(0, 0, 0, 0, List.of());
        tally.failures.addAll(delivery.failures());
        Run run = new Run(tally.budgets, tally.snapshots, tally.transitions, delivery.alerts(), delivery.statusEvents(),
                tally.failures, tally.stale, delivery.undelivered(), tally.flaps, tally.confirmed);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("at", at.toString());
        fields.put("budgets", run.budgets());
        fields.put("snapshotsWritten", run.snapshotsWritten());
        fields.put("transitions", run.transitions());
        fields.put("notices", run.notices());
        fields.put("statusEvents", run.statusEvents());
        fields.put("stale", run.stale());
        fields.put("undelivered", run.undelivered());
        fields.put("flaps", run.flaps());
        fields.put("confirmed", run.confirmed());
        fields.put("failed", run.failures());
        fields.put("durationMs", (System.nanoTime() - started) / 1_000_000);
        log.info("calculation run", fields);
        Map<String, Number> metrics = new LinkedHashMap<>();
        metrics.put("Budgets", run.budgets());
        metrics.put("SnapshotsWritten", run.snapshotsWritten());
        metrics.put("AlertNotices", run.notices());
        metrics.put("StatusEvents", run.statusEvents());
        metrics.put("Undelivered", run.undelivered());
        metrics.put("Errors", run.failures().size());
        log.metrics("ErrorBudgetManager", Map.of("Function", "budget-calculator"), metrics, at);
        return run;
    }

    /**
     * {@link BudgetSpec#of}, kept per SLO object and tier list: the same definitions come back every run, and the
     * same spec object makes the cached budget's check an identity check.
     */
    private List<BudgetSpec> budgetsOf(Slo slo, List<AlertTier> tiers) {
        SpecsOf known = specs.get(slo);
        if (known != null && known.tiers() == tiers) {
            return known.specs();
        }
        if (specs.size() >= 2 * options.cacheLimit()) {
            specs.clear(); // definitions parsed again: the old objects are not asked for any more
        }
        List<BudgetSpec> made = BudgetSpec.of(slo, tiers);
        specs.put(slo, new SpecsOf(tiers, made));
        return made;
    }

    private record SpecsOf(List<AlertTier> tiers, List<BudgetSpec> specs) {
    }

    /** The budget, its counts brought up to {@code at}. */
    private Cached upToDate(BudgetSpec spec, Instant at, List<Exclusion> policyExclusions, long revision) {
        long atMinute = Math.floorDiv(at.getEpochSecond(), 60);
        Cached c = cache.get(spec.name());
        boolean sameSpec = c != null && (c.budget.spec() == spec || c.budget.spec().equals(spec));
        if (!sameSpec || c.checkedAgainst != policyExclusions
                && !c.budget.exclusions().equals(BudgetPipeline.exclusionsFor(spec, policyExclusions))) {
            // new, changed, or under other exclusion windows: what was read counts differently now
            c = loadCold(spec, policyExclusions, atMinute, revision);
        } else {
            // what changed since the last read, however old (a backfill, a collector retry), and the new minutes
            long horizon = atMinute - c.budget.retainedMinutes();
            long from = Math.max(c.loadedThrough - options.overlapMinutes(), horizon);
            for (String key : c.budget.dataKeys()) {
                for (CountsChange change : store.countsChanges(key, c.revision)) {
                    if (change.toMinute() > horizon) {
                        from = Math.min(from, Math.max(change.fromMinute(), horizon));
                    }
                }
            }
            if (from < atMinute - BudgetEvaluator.REWRITABLE_MINUTES) {
                // too old to rewrite minute by minute: read the window again, as a cold container would
                c = loadCold(spec, policyExclusions, atMinute, revision);
            } else if (atMinute > c.loadedThrough || from < c.loadedThrough) {
                load(c, from, Math.max(atMinute, c.loadedThrough));
                c.revision = revision;
            }
        }
        c.checkedAgainst = policyExclusions;
        return c;
    }

    /** {@code revision}: the counts' revision read before this read, so that a write during it is read again. */
    private Cached loadCold(BudgetSpec spec, List<Exclusion> policyExclusions, long atMinute, long revision) {
        Cached c = new Cached(BudgetPipeline.of(spec, policyExclusions));
        c.revision = revision;
        load(c, atMinute - c.budget.retainedMinutes(), atMinute);
        cache.put(spec.name(), c);
        return c;
    }

    private void load(Cached c, long fromMinute, long toMinute) {
        // minutes the collector can no longer rewrite are appended; only the recent ones are kept for rewriting
        long settled = c.loadedThrough == 0 ? toMinute - BudgetEvaluator.REWRITABLE_MINUTES : Long.MIN_VALUE;
        for (String key : c.budget.dataKeys()) {
            store.forEachCount(key, fromMinute, toMinute, new Reader(c.budget, c.budget.component(key), settled));
        }
        c.loadedThrough = Math.max(c.loadedThrough, toMinute);
    }

    /**
     * The minutes of one component read into a budget: those before {@code appendBefore} appended, the others
     * upserted. A class rather than a capturing lambda: C1 allocates those through a runtime call, and every
     * evaluation reads each component.
     */
    private record Reader(BudgetPipeline budget, int component, long appendBefore) implements CountsStore.MinuteSink {
        @Override
        public void minute(long minute, MinuteCounts counts) {
            if (minute < appendBefore) {
                budget.add(component, minute, counts);
            } else {
                budget.upsert(component, minute, counts);
            }
        }
    }

    /**
     * Moves the budget's alert book (tiers and incidents), then commits the snapshot, the book, the incidents it
     * changed and the announcements in one write. Nothing is written when a snapshot as new or newer is stored (a
     * late run), or when another run of this instant wrote first.
     */
    /** The snapshot as held (its alerts after their holds), or null for a late run. */
    private Snapshot commit(Snapshot raw, Cached c, Slo slo, AlertRules rules, Policy policy,
                            Optional<SnapshotRecord> latest,
                            Map<String, Instant> confirmations, List<String> unchanged, Tally tally) {
        Instant confirmed = confirmations.get(raw.name());
        if (latest.isPresent() && (!raw.evaluatedAt().isAfter(latest.get().evaluatedAt())
                || confirmed != null && !raw.evaluatedAt().isAfter(confirmed))) {
            tally.stale++;
            return null; // time only moves forward: this instant (or a later one) is stored or confirmed already
        }
        long version = (latest.isPresent() ? latest.get().version() : 0) + 1;
        Optional<AlertRecord> book = store.alertState(raw.name());
        AlertRecord current = book.isPresent() ? book.get() : new AlertRecord(AlertBook.empty(raw.name()), 0);
        AlertBook.Step step = current.book().step(raw, rules);
        // a quiet step hands back the snapshot's own tiers: nothing to replace
        Snapshot s = step.held() == raw.alerts() ? raw : raw.withAlerts(step.held());
        List<AlertRecord> moved = step.next().equals(current.book()) ? List.of()
                : List.of(new AlertRecord(step.next(), current.version() + 1));
        List<OutboxEntry> announce = new ArrayList<>();
        AlertNotice.Grouping grouping = step.notifications().isEmpty() ? null : grouping(slo, rules.grouping());
        for (AlertBook.Notification n : step.notifications()) {
            announce.add(OutboxEntry.of(AlertNotice.noticeKey(n), OutboxEntry.ALERT, s.name(), s.evaluatedAt(),
                    AlertNotice.of(s, n, options.statusUrl(), slo.annotations().get("runbook"), grouping).toJson()));
        }
        if (moved.isEmpty() && announce.isEmpty() && latest.isPresent() && sameHour(latest.get().evaluatedAt(),
                s.evaluatedAt())) {
            Snapshot stored = latest.get().snapshot();
            if (s.readsAs(stored) && decidesAlike(s, stored, c, policy)) {
                // what readers see and what the policy decides are unchanged: confirmed in one write for the run,
                // the latest and its history point rewritten at the next change or the next hour
                unchanged.add(s.name());
                return s;
            }
        }
        String previous = latest.map(SnapshotRecord::status).orElse(null);
        if (!s.status().name().equals(previous)) {
            StatusChange change = new StatusChange(s.name(), s.service(), previous, s.status().name(),
                    s.statusReason(), s.evaluatedAt(), version, s.remainingFraction(), s.burnRates(),
                    s.alerts().stream().filter(Snapshot.TierResult::firing).map(t -> t.tier().name()).toList());
            announce.add(OutboxEntry.of("status#" + s.name() + "#" + version, OutboxEntry.STATUS, s.name(),
                    s.evaluatedAt(), change.toJson()));
        }
        if (store.commitEvaluation(SnapshotRecord.of(s, version), moved, step.changed(), announce)) {
            tally.snapshots++;
            tally.transitions += step.notifications().size();
            tally.flaps += step.flapped() ? 1 : 0;
        }
        // else another run of this instant committed first: its announcements are in the outbox
        return s;
    }

    /** {@link Policy#decidesAlike}, with the stored snapshot's answers kept in the budget's cache entry. */
    private static boolean decidesAlike(Snapshot s, Snapshot stored, Cached c, Policy policy) {
        if (c.answered != stored || c.answeredBy != policy) {
            c.answers = policy.answers(stored);
            c.answered = stored;
            c.answeredBy = policy;
        }
        return policy.decidesAlike(s, c.answers);
    }

    /** Whether both instants fall in the same clock hour (UTC): history keeps at least a point an hour. */
    static boolean sameHour(Instant a, Instant b) {
        return Math.floorDiv(a.getEpochSecond(), 3600) == Math.floorDiv(b.getEpochSecond(), 3600);
    }

    /**
     * What an SLO's notices may be grouped by: its service, or each CloudWatch metric it reads (SLOs sharing a
     * metric see the same traffic). Null when the policy does not group.
     */
    static AlertNotice.Grouping grouping(Slo slo, AlertRules.Grouping g) {
        if (g == null) {
            return null;
        }
        List<String> keys = g.by() == AlertRules.Grouping.By.SERVICE ? List.of("service:" + slo.service())
                : slo.cloudWatchMetricsRead().stream().map(m -> "metric:" + m).toList();
        return keys.isEmpty() ? null : new AlertNotice.Grouping(keys, g.interval());
    }
}
