package io.ebm.engine;

import io.ebm.core.alert.AlertTier;
import io.ebm.core.budget.BudgetSpec;
import io.ebm.core.budget.EvaluationSettings;
import io.ebm.core.budget.Snapshot;
import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.incident.AlertBook;
import io.ebm.core.incident.Incident;
import io.ebm.core.openslo.SloDefinitions;
import io.ebm.core.policy.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an alert configuration would have done over past counts: every budget evaluated at the calculator's
 * cadence through the same pipeline ({@link Evaluation}) and the same incident state machine as the calculator,
 * and the incidents and notices that would have come of it. Nothing is stored and nobody is told: a team
 * compares two policies (tiers, holds, margins) on last month before deploying one.
 *
 * <p>Counts come in time order across all series (a minute is complete once a later minute arrives); each
 * evaluation instant is taken as soon as every minute before it has been seen.
 */
public final class AlertReplay {

    /** One budget's span: its incidents (in order) and the notices they sent. */
    public record Budget(String name, String service, List<Incident> incidents, int notices, int pages, int flaps,
                         int evaluations) {
        public Budget {
            incidents = List.copyOf(incidents);
        }
    }

    /** What the replay produced, budget by budget in definition order. */
    public record Result(Instant from, Instant to, Duration every, List<Budget> budgets) {
        public Result {
            budgets = List.copyOf(budgets);
        }

        public int incidents() {
            return budgets.stream().mapToInt(b -> b.incidents().size()).sum();
        }

        public int notices() {
            return budgets.stream().mapToInt(Budget::notices).sum();
        }

        public int pages() {
            return budgets.stream().mapToInt(Budget::pages).sum();
        }

        public int flaps() {
            return budgets.stream().mapToInt(Budget::flaps).sum();
        }
    }

    /** One budget's alerting as the replay moves it. */
    private static final class Track {
        final BudgetSpec spec;
        AlertBook book;
        final Map<String, Incident> incidents = new LinkedHashMap<>();
        int notices;
        int flaps;
        int evaluations;

        Track(BudgetSpec spec) {
            this.spec = spec;
            this.book = AlertBook.empty(spec.name());
        }
    }

    private final Evaluation evaluation;
    private final Policy policy;
    private final EvaluationSettings settings;
    private final Duration every;
    private final List<Track> tracks = new ArrayList<>();
    private long nextMinute = Long.MIN_VALUE;
    private long firstMinute = Long.MIN_VALUE;
    private long lastSeen = Long.MIN_VALUE;

    public AlertReplay(SloDefinitions definitions, Policy policy, Duration every) {
        if (every.toMinutes() < 1 || every.getSeconds() % 60 != 0) {
            throw new IllegalArgumentException("the replay's step must be whole minutes, got " + every);
        }
        this.evaluation = new Evaluation(definitions, policy);
        this.policy = policy;
        this.every = every;
        // as deployed: a snapshot is stale after two calculator ticks unless the policy says otherwise
        this.settings = policy.settings().staleAfterUnlessSet(2 * every.toMinutes());
        evaluation.budgets().forEach(spec -> tracks.add(new Track(spec)));
    }

    public Set<String> dataKeys() {
        return evaluation.dataKeys();
    }

    /**
     * One minute of one series. Minutes must not go back in time across calls: the instants before it are
     * evaluated first.
     */
    public void add(String dataKey, long epochMinute, MinuteCounts counts) {
        if (epochMinute < lastSeen) {
            throw new IllegalArgumentException("counts must come in time order across all series: minute "
                    + Instant.ofEpochSecond(epochMinute * 60) + " after " + Instant.ofEpochSecond(lastSeen * 60));
        }
        if (nextMinute == Long.MIN_VALUE) {
            firstMinute = epochMinute;
            nextMinute = Math.floorDiv(epochMinute, every.toMinutes()) * every.toMinutes() + every.toMinutes();
        }
        evaluateBefore(epochMinute);
        lastSeen = epochMinute;
        evaluation.add(dataKey, epochMinute, counts);
    }

    /** Evaluates the instants up to {@code end} and returns what the replay produced. */
    public Result finish(Instant end) {
        long endMinute = Math.floorDiv(end.getEpochSecond(), 60);
        evaluateBefore(endMinute);
        if (nextMinute == endMinute) {
            evaluateAt(nextMinute);
        }
        List<Budget> out = new ArrayList<>();
        for (Track t : tracks) {
            List<Incident> incidents = new ArrayList<>(t.incidents.values());
            int pages = (int) incidents.stream()
                    .filter(i -> AlertTier.urgency(i.severity()) >= AlertTier.urgency("page")).count();
            out.add(new Budget(t.spec.name(), t.spec.slo().service(), incidents, t.notices, pages, t.flaps,
                    t.evaluations));
        }
        Instant from = firstMinute == Long.MIN_VALUE ? end : Instant.ofEpochSecond(firstMinute * 60);
        return new Result(from, end, every, out);
    }

    /** Takes every instant whose minutes are all in: those at or before {@code minute}. */
    private void evaluateBefore(long minute) {
        while (nextMinute != Long.MIN_VALUE && nextMinute <= minute) {
            evaluateAt(nextMinute);
            nextMinute += every.toMinutes();
        }
    }

    private void evaluateAt(long minute) {
        List<Snapshot> snapshots = evaluation.snapshots(Instant.ofEpochSecond(minute * 60), settings);
        for (int i = 0; i < tracks.size(); i++) {
            Track t = tracks.get(i);
            AlertBook.Step step = t.book.step(snapshots.get(i), policy.alerting());
            t.book = step.next();
            t.notices += step.notifications().size();
            t.flaps += step.flapped() ? 1 : 0;
            step.changed().forEach(incident -> t.incidents.put(incident.id(), incident));
            t.evaluations++;
        }
    }
}
