package io.ebm.engine;

import io.ebm.core.alert.AlertTier;
import io.ebm.core.budget.BudgetSpec;
import io.ebm.core.budget.Snapshot;
import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.incident.AlertBook;
import io.ebm.core.incident.Incident;
import io.ebm.core.openslo.SloDefinitions;
import io.ebm.core.policy.Policy;
import io.ebm.core.slo.Slo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an alert configuration would have done over past counts: every budget evaluated at the calculator's
 * cadence through the same pipeline and the same incident state machine as the calculator, and the incidents and
 * notices that would have come of it. Nothing is stored and nobody is told: a team compares two policies (tiers,
 * holds, margins) on last month before deploying one.
 *
 * <p>Counts come in time order across all series (a minute is complete once a later minute arrives); each
 * evaluation instant is taken as soon as every minute before it has been seen.
 */
public final class AlertReplay {

    /** One budget's month: its incidents (in order) and the notices they sent, by transition. */
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

    private static final class Track {
        final BudgetPipeline pipeline;
        final String service;
        AlertBook book;
        final Map<String, Incident> incidents = new LinkedHashMap<>();
        int notices;
        int flaps;
        int evaluations;

        Track(BudgetPipeline pipeline, String service) {
            this.pipeline = pipeline;
            this.service = service;
            this.book = AlertBook.empty(pipeline.spec().name());
        }
    }

    private final Policy policy;
    private final io.ebm.core.budget.EvaluationSettings settings;
    private final Duration every;
    private final List<Track> tracks = new ArrayList<>();
    private final Map<String, Track> feeds = new LinkedHashMap<>();
    private long nextMinute = Long.MIN_VALUE;
    private long firstMinute = Long.MIN_VALUE;
    private long lastSeen = Long.MIN_VALUE;

    public AlertReplay(SloDefinitions definitions, Policy policy, Duration every) {
        if (every.toMinutes() < 1 || every.getSeconds() % 60 != 0) {
            throw new IllegalArgumentException("the replay's step must be whole minutes, got " + every);
        }
        this.policy = policy;
        this.every = every;
        // as deployed: a snapshot is stale after two calculator ticks unless the policy says otherwise
        this.settings = policy.settings().staleAfterUnlessSet(2 * every.toMinutes());
        for (Slo slo : definitions.slos()) {
            for (BudgetSpec spec : BudgetSpec.of(slo, policy.tiers())) {
                Track t = new Track(BudgetPipeline.of(spec, policy.exclusions()), slo.service());
                tracks.add(t);
                t.pipeline.dataKeys().forEach(k -> feeds.put(k, t));
            }
        }
    }

    public Set<String> dataKeys() {
        return feeds.keySet();
    }

    public boolean accepts(String dataKey) {
        return feeds.containsKey(dataKey);
    }

    /**
     * One minute of one series. Minutes must not go back in time across calls: the instants before it are
     * evaluated first.
     */
    public void add(String dataKey, long epochMinute, MinuteCounts counts) {
        Track t = feeds.get(dataKey);
        if (t == null) {
            throw new IllegalArgumentException("no SLO reads counts named '" + dataKey + "'");
        }
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
        t.pipeline.add(dataKey, epochMinute, counts);
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
            out.add(new Budget(t.pipeline.spec().name(), t.service, incidents, t.notices, pages, t.flaps,
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
        Instant at = Instant.ofEpochSecond(minute * 60);
        for (Track t : tracks) {
            Snapshot s = t.pipeline.snapshot(at, settings);
            AlertBook.Step step = t.book.step(s, policy.alerting());
            t.book = step.next();
            t.notices += step.notifications().size();
            t.flaps += step.flapped() ? 1 : 0;
            step.changed().forEach(i -> t.incidents.put(i.id(), i));
            t.evaluations++;
        }
    }
}
