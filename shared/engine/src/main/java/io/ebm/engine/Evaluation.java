package io.ebm.engine;

import io.ebm.core.budget.BudgetSpec;
import io.ebm.core.budget.EvaluationSettings;
import io.ebm.core.budget.Snapshot;
import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.deploy.Deployment;
import io.ebm.core.deploy.LedgerEntry;
import io.ebm.core.openslo.SloDefinitions;
import io.ebm.core.policy.Decision;
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
 * A fleet evaluated in one process: SLO definitions and a policy in, minute counts fed in, then snapshots,
 * decisions and gate answers out for any instant. Each budget is a {@link BudgetPipeline}, as in the calculator.
 */
public final class Evaluation {

    private final Policy policy;
    private final List<BudgetPipeline> budgets = new ArrayList<>();
    /** The budget each data key's counts go to. */
    private final Map<String, BudgetPipeline> feeds = new LinkedHashMap<>();
    /** The deployments of each service, as given. */
    private final Map<String, List<Deployment>> deployments = new LinkedHashMap<>();

    /** Everything one evaluation produced. */
    public record Result(Instant evaluatedAt, List<Snapshot> snapshots, List<Decision> decisions,
                         List<GateDecision> gates, List<LedgerEntry> ledger) {
    }

    public Evaluation(SloDefinitions definitions, Policy policy) {
        this.policy = policy;
        for (Slo slo : definitions.slos()) {
            for (BudgetSpec spec : BudgetSpec.of(slo, policy.tiers())) {
                BudgetPipeline budget = BudgetPipeline.of(spec, policy.exclusions());
                budgets.add(budget);
                for (String key : budget.dataKeys()) {
                    feeds.put(key, budget);
                }
            }
        }
    }

    /** The names that counts may be filed under: budget names, and {@code slo/objective} for composites. */
    public Set<String> dataKeys() {
        return feeds.keySet();
    }

    public void add(String dataKey, long epochMinute, MinuteCounts counts) {
        budgetOf(dataKey).add(dataKey, epochMinute, counts);
    }

    /** Where one data key's counts go: looked up once for a series read minute by minute. */
    public record Feed(BudgetPipeline budget, int component) {
        /** A minute newer than every minute of this series added so far. */
        public void add(long epochMinute, MinuteCounts counts) {
            budget.add(component, epochMinute, counts);
        }
    }

    public Feed feed(String dataKey) {
        BudgetPipeline budget = budgetOf(dataKey);
        return new Feed(budget, budget.component(dataKey));
    }

    private BudgetPipeline budgetOf(String dataKey) {
        BudgetPipeline budget = feeds.get(dataKey);
        if (budget == null) {
            throw new IllegalArgumentException("no SLO reads counts named '" + dataKey + "'");
        }
        return budget;
    }

    public List<Snapshot> snapshots(Instant at) {
        return snapshots(at, policy.settings());
    }

    /**
     * Every budget's snapshot at {@code at}, in definition order, under {@code settings}; with the deployments
     * given, each carries what the newest one in force has spent of it.
     */
    public List<Snapshot> snapshots(Instant at, EvaluationSettings settings) {
        List<Snapshot> out = new ArrayList<>(budgets.size());
        for (BudgetPipeline b : budgets) {
            out.add(b.snapshot(at, settings, deploymentsOf(b), policy.deploymentSpans()));
        }
        return out;
    }

    /** A deployment of one of the services (a row of a deployments file). */
    public void addDeployment(Deployment d) {
        deployments.computeIfAbsent(d.service(), s -> new ArrayList<>()).add(d);
    }

    /** Who spent each budget at {@code at}: its deployments' costs, budget by budget (call after a snapshot at it). */
    public List<LedgerEntry> ledger(Instant at) {
        List<LedgerEntry> out = new ArrayList<>();
        for (BudgetPipeline b : budgets) {
            out.addAll(b.ledger(b.snapshot(at, policy.settings()), deploymentsOf(b), Policy.LEDGER_SPAN));
        }
        return out;
    }

    private List<Deployment> deploymentsOf(BudgetPipeline b) {
        return deployments.getOrDefault(b.spec().slo().service(), List.of());
    }

    /** The budgets, in definition order (the order of {@link #snapshots}). */
    public List<BudgetSpec> budgets() {
        return budgets.stream().map(BudgetPipeline::spec).toList();
    }

    /** Snapshots, then the policy's decisions and one gate per service. */
    public Result evaluate(Instant at, List<ReleaseOverride> storedOverrides) {
        List<Snapshot> snapshots = snapshots(at);
        List<ReleaseOverride> overrides = policy.overridesWith(storedOverrides);
        Instant evaluatedAt = snapshots.isEmpty() ? at : snapshots.get(0).evaluatedAt();
        return new Result(evaluatedAt, snapshots, PolicyEngine.decide(snapshots, policy, overrides, evaluatedAt),
                PolicyEngine.gates(snapshots, policy, overrides, evaluatedAt),
                deployments.isEmpty() ? List.of() : ledger(at));
    }
}
