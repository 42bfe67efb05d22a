package io.ebm.engine;

import io.ebm.core.budget.BudgetEvaluator;
import io.ebm.core.budget.BudgetSpec;
import io.ebm.core.budget.EvaluationSettings;
import io.ebm.core.budget.Snapshot;
import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.deploy.Deployment;
import io.ebm.core.deploy.Ledger;
import io.ebm.core.deploy.LedgerEntry;
import io.ebm.core.policy.Exclusion;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The one path from counts to a snapshot for one budget: each minute goes through the policy's exclusion windows
 * that cover it (dropped, or counted as good), then into the budget's evaluator; a snapshot is the evaluator's
 * answer for an instant under the policy's settings. {@code evaluate}, {@code seed}, the demo and the calculator
 * all feed budgets through this class.
 */
public final class BudgetPipeline {

    private final BudgetEvaluator evaluator;
    private final List<Exclusion> exclusions;

    /** Each exclusion's last answer and the minutes [from, until) it holds for. */
    private final long[] answerFrom;
    private final long[] answerUntil;
    private final boolean[] answerCovers;

    /** The last span asked for that no write can change any more, and what it spent. */
    private long settledFrom = Long.MIN_VALUE;
    private long settledTo = Long.MIN_VALUE;
    private double settledSpent;

    private BudgetPipeline(BudgetEvaluator evaluator, List<Exclusion> exclusions) {
        this.evaluator = evaluator;
        this.exclusions = exclusions;
        this.answerFrom = new long[exclusions.size()];
        this.answerUntil = new long[exclusions.size()];
        this.answerCovers = new boolean[exclusions.size()];
    }

    /** A budget under the exclusion windows of a policy that apply to it (others are left out here, once). */
    public static BudgetPipeline of(BudgetSpec spec, List<Exclusion> policyExclusions) {
        return new BudgetPipeline(new BudgetEvaluator(spec), exclusionsFor(spec, policyExclusions));
    }

    /** The policy's exclusion windows whose scope takes in this budget. */
    public static List<Exclusion> exclusionsFor(BudgetSpec spec, List<Exclusion> policyExclusions) {
        return policyExclusions.stream().filter(x -> x.scope().matches(spec.service(), spec.name())).toList();
    }

    public BudgetSpec spec() {
        return evaluator.spec();
    }

    /** The exclusion windows that apply to this budget. */
    public List<Exclusion> exclusions() {
        return exclusions;
    }

    /** The names counts are filed under: the budget's name, or {@code slo/objective} per composite component. */
    public List<String> dataKeys() {
        return evaluator.dataKeys();
    }

    /** How far back the budget reads: its longest window, and the burn windows of its tiers. */
    public long retainedMinutes() {
        return evaluator.retainedMinutes();
    }

    /** A minute newer than every minute added so far. */
    public void add(String dataKey, long epochMinute, MinuteCounts counts) {
        add(component(dataKey), epochMinute, counts);
    }

    /** The index of the component that reads {@code dataKey}: for adding many minutes of one series. */
    public int component(String dataKey) {
        return evaluator.component(dataKey);
    }

    /** {@link #add(String, long, MinuteCounts)} for a component looked up once. */
    public void add(int component, long epochMinute, MinuteCounts counts) {
        evaluator.add(component, epochMinute, counted(epochMinute, counts));
    }

    /** A minute that may already be there (the collector rewrites its overlap): replaced by its difference. */
    public void upsert(String dataKey, long epochMinute, MinuteCounts counts) {
        evaluator.upsert(dataKey, epochMinute, counted(epochMinute, counts));
    }

    /** {@link #upsert(String, long, MinuteCounts)} for a component looked up once. */
    public void upsert(int component, long epochMinute, MinuteCounts counts) {
        evaluator.upsert(component, epochMinute, counted(epochMinute, counts));
    }

    public Snapshot snapshot(Instant at, EvaluationSettings settings) {
        return evaluator.snapshot(at, settings);
    }

    /**
     * The snapshot at {@code at}, with what the newest of the service's {@code deployments} in force has spent of
     * it since landing and within each of {@code spans} (the policy's {@code deploymentSpent} rules read it).
     */
    public Snapshot snapshot(Instant at, EvaluationSettings settings, List<Deployment> deployments,
                             Set<Duration> spans) {
        Snapshot s = evaluator.snapshot(at, settings);
        if (deployments.isEmpty()) {
            return s;
        }
        return s.withDeployment(Ledger.newest(deployments, spending(), s.budgetTotal().doubleValue(),
                s.evaluatedAt(), spans));
    }

    /**
     * Who spent the budget: one entry per deployment in force within the window, against the budget of
     * {@code latest} (a snapshot of this pipeline, taken last).
     */
    public List<LedgerEntry> ledger(Snapshot latest, List<Deployment> deployments, Duration firstSpan) {
        return Ledger.entries(spec().name(), deployments, spending(), latest.budgetTotal().doubleValue(),
                latest.evaluatedAt(), firstSpan);
    }

    /** The budget's spending as the evaluator has counted it (after the exclusions). */
    private Ledger.Spending spending() {
        return new Ledger.Spending() {
            @Override
            public double between(Instant from, Instant to) {
                long fromMinute = Math.floorDiv(from.getEpochSecond(), 60);
                long toMinute = Math.floorDiv(to.getEpochSecond(), 60);
                // minutes before the kept history are not counted: a span reaching there is worked out again
                boolean counted = fromMinute >= evaluator.countedFrom();
                if (counted && fromMinute == settledFrom && toMinute == settledTo) {
                    return settledSpent;
                }
                double spent = evaluator.spentBetween(fromMinute, toMinute);
                if (counted && toMinute <= evaluator.settledBefore()) {
                    // a span that ended long enough ago (the first hour after a landing) is asked every tick
                    settledFrom = fromMinute;
                    settledTo = toMinute;
                    settledSpent = spent;
                }
                return spent;
            }

            @Override
            public Instant countedFrom() {
                long m = evaluator.countedFrom();
                return m == Long.MIN_VALUE ? Instant.MIN : Instant.ofEpochSecond(m * 60);
            }
        };
    }

    /** A minute as the budget counts it: inside an exclusion window it is dropped or counted as good. */
    private MinuteCounts counted(long epochMinute, MinuteCounts counts) {
        if (exclusions.isEmpty()) {
            return counts;
        }
        MinuteCounts kept = counts;
        for (int i = 0; i < exclusions.size(); i++) {
            if (answerFrom[i] > epochMinute || epochMinute >= answerUntil[i]) {
                // outside the span of the last answer: ask the window again (once per span, not per minute)
                Exclusion.Answer a = exclusions.get(i).answerAt(evaluator.spec().service(), evaluator.spec().name(),
                        Instant.ofEpochSecond(epochMinute * 60));
                answerFrom[i] = epochMinute;
                answerUntil[i] = Math.floorDiv(a.until().getEpochSecond() + 59, 60);
                answerCovers[i] = a.covered();
            }
            if (answerCovers[i]) {
                kept = exclusions.get(i).apply(kept);
            }
        }
        return kept;
    }
}
