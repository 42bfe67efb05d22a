package io.ebm.engine;

import io.ebm.core.budget.BudgetEvaluator;
import io.ebm.core.budget.BudgetSpec;
import io.ebm.core.budget.Snapshot;
import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.openslo.SloDefinitions;
import io.ebm.core.policy.Decision;
import io.ebm.core.policy.Exclusion;
import io.ebm.core.policy.GateDecision;
import io.ebm.core.policy.Policy;
import io.ebm.core.policy.PolicyEngine;
import io.ebm.core.policy.ReleaseOverride;
import io.ebm.core.slo.Slo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole core in one place: SLO definitions and a policy in, minute counts fed in, then snapshots,
 * decisions and gate answers out for any instant. Counts pass through the policy's exclusion windows first.
 */
public final class Evaluation {

    private final Policy policy;
    private final List<BudgetEvaluator> evaluators = new ArrayList<>();
    private final Map<String, Feed> feeds = new LinkedHashMap<>();

    /** Where a data key's counts go, and what exclusions see of it. */
    private record Feed(BudgetEvaluator evaluator, String service, String budget, List<Exclusion> exclusions) {
    }

    /** Everything one evaluation produced. */
    public record Result(Instant evaluatedAt, List<Snapshot> snapshots, List<Decision> decisions,
                         List<GateDecision> gates) {
    }

    public Evaluation(SloDefinitions definitions, Policy policy) {
        this.policy = policy;
        for (Slo slo : definitions.slos()) {
            for (BudgetSpec spec : BudgetSpec.of(slo, policy.tiers())) {
                BudgetEvaluator evaluator = new BudgetEvaluator(spec);
                evaluators.add(evaluator);
                for (String key : evaluator.dataKeys()) {
                    List<Exclusion> relevant = policy.exclusions().stream()
                            .filter(e -> e.scope().matches(slo.service(), spec.name()))
                            .toList();
                    feeds.put(key, new Feed(evaluator, slo.service(), spec.name(), relevant));
                }
            }
        }
    }

    /** The names that counts may be filed under: budget names, and {@code slo/objective} for composites. */
    public Set<String> dataKeys() {
        return feeds.keySet();
    }

    public boolean accepts(String dataKey) {
        return feeds.containsKey(dataKey);
    }

    public void add(String dataKey, long epochMinute, MinuteCounts counts) {
        Feed feed = feeds.get(dataKey);
        if (feed == null) {
            throw new IllegalArgumentException("no SLO reads counts named '" + dataKey + "'");
        }
        MinuteCounts kept = counts;
        if (!feed.exclusions().isEmpty()) {
            Instant minute = Instant.ofEpochSecond(epochMinute * 60);
            for (Exclusion e : feed.exclusions()) {
                if (e.covers(feed.service(), feed.budget(), minute)) {
                    kept = e.apply(kept);
                }
            }
        }
        feed.evaluator().add(dataKey, epochMinute, kept);
    }

    public List<Snapshot> snapshots(Instant at) {
        List<Snapshot> out = new ArrayList<>(evaluators.size());
        for (BudgetEvaluator e : evaluators) {
            out.add(e.snapshot(at, policy.settings()));
        }
        return out;
    }

    /** Snapshots, then the policy's decisions and one gate per service. */
    public Result evaluate(Instant at, List<ReleaseOverride> storedOverrides) {
        List<Snapshot> snapshots = snapshots(at);
        List<ReleaseOverride> overrides = new ArrayList<>(policy.overrides());
        overrides.addAll(storedOverrides);
        Instant evaluatedAt = snapshots.isEmpty() ? at : snapshots.get(0).evaluatedAt();
        return new Result(evaluatedAt, snapshots, PolicyEngine.decide(snapshots, policy, overrides, evaluatedAt),
                PolicyEngine.gates(snapshots, policy, overrides, evaluatedAt));
    }
}
