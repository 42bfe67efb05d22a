package io.ebm.core.policy;

import io.ebm.core.alert.AlertRules;
import io.ebm.core.alert.AlertTier;
import io.ebm.core.budget.EvaluationSettings;
import io.ebm.core.deploy.DeploymentRouting;
import java.util.List;

/**
 * An error-budget policy: rules in order, what to do when there is no data, exclusion windows, and the
 * alerting and evaluation settings the policy owner chose.
 *
 * @param tiers      the alert tiers for SLOs that name no OpenSLO alert policy
 * @param overrides  overrides written in the policy file (more come from the store at run time)
 * @param release    hysteresis, freshness, override limits and unknown services
 * @param alerting   how tiers become incidents: resolve hold and margin, grouping across SLOs
 * @param deployments which pipelines and AppConfig environments deploy which services, and the landing stage
 */
public record Policy(String name, NoData onNoData, List<Rule> rules, List<Exclusion> exclusions,
                     List<ReleaseOverride> overrides, List<AlertTier> tiers, EvaluationSettings settings,
                     FlagBackend flags, ReleaseSettings release, AlertRules alerting, DeploymentRouting deployments) {

    public Policy(String name, NoData onNoData, List<Rule> rules, List<Exclusion> exclusions,
                  List<ReleaseOverride> overrides, List<AlertTier> tiers, EvaluationSettings settings,
                  FlagBackend flags, ReleaseSettings release) {
        this(name, onNoData, rules, exclusions, overrides, tiers, settings, flags, release, AlertRules.DEFAULTS,
                DeploymentRouting.DEFAULTS);
    }

    /** The first span of a deployment the ledger reports, whatever the rules ask. */
    public static final java.time.Duration LEDGER_SPAN = java.time.Duration.ofHours(1);

    /**
     * The spans after landing whose spending the calculator puts on each snapshot: the ledger's first hour, and
     * each {@code deploymentSpent.within} a rule asks about.
     */
    public java.util.Set<java.time.Duration> deploymentSpans() {
        java.util.Set<java.time.Duration> spans = new java.util.TreeSet<>(List.of(LEDGER_SPAN));
        for (Rule r : rules) {
            if (r.when() != null && r.when().deploymentSpent() != null) {
                spans.add(r.when().deploymentSpent().within());
            }
        }
        return spans;
    }

    /**
     * Where feature flags live: an AppConfig feature-flags profile (deployed with a strategy), or SSM
     * parameters named {@code ssmPrefix + flag} holding {@code true} or {@code false}.
     */
    public record FlagBackend(String kind, String application, String environment, String profile,
                              String deploymentStrategy, String ssmPrefix) {
        public static FlagBackend appConfig(String application, String environment, String profile, String strategy) {
            return new FlagBackend("appconfig", application, environment, profile, strategy, null);
        }

        public static FlagBackend ssm(String prefix) {
            return new FlagBackend("ssm", null, null, null, null, prefix);
        }
    }

    public Policy(String name, NoData onNoData, List<Rule> rules, List<Exclusion> exclusions,
                  List<ReleaseOverride> overrides, List<AlertTier> tiers, EvaluationSettings settings) {
        this(name, onNoData, rules, exclusions, overrides, tiers, settings, null, ReleaseSettings.DEFAULTS);
    }

    public Policy(String name, NoData onNoData, List<Rule> rules, List<Exclusion> exclusions,
                  List<ReleaseOverride> overrides, List<AlertTier> tiers, EvaluationSettings settings,
                  FlagBackend flags) {
        this(name, onNoData, rules, exclusions, overrides, tiers, settings, flags, ReleaseSettings.DEFAULTS);
    }

    /** What the gate answers for a service whose SLO has no data. */
    public enum NoData {
        FAIL_OPEN, FAIL_CLOSED;

        public String describe() {
            return this == FAIL_OPEN ? "fails open" : "fails closed";
        }
    }

    public Policy {
        rules = List.copyOf(rules);
        exclusions = List.copyOf(exclusions);
        overrides = List.copyOf(overrides);
        tiers = List.copyOf(tiers);
        release = release == null ? ReleaseSettings.DEFAULTS : release;
        alerting = alerting == null ? AlertRules.DEFAULTS : alerting;
        deployments = deployments == null ? DeploymentRouting.DEFAULTS : deployments;
    }

    /** Every override the gate weighs: the policy file's own, then the stored ones (created through the API). */
    public List<ReleaseOverride> overridesWith(List<ReleaseOverride> stored) {
        List<ReleaseOverride> all = new java.util.ArrayList<>(overrides);
        all.addAll(stored);
        return all;
    }

    /** No rules: the gate allows everything; Workbook tiers; default settings. */

    public static final Policy NONE = new Policy("none", NoData.FAIL_OPEN, List.of(), List.of(), List.of(),
            AlertTier.WORKBOOK_DEFAULTS, EvaluationSettings.DEFAULTS);

    /**
     * Whether every rule that applies to the budget holds of both snapshots alike: a latest snapshot that reads
     * the same (see {@link io.ebm.core.budget.Snapshot#readsAs}) and decides the same need not be rewritten.
     */
    public boolean decidesAlike(io.ebm.core.budget.Snapshot a, io.ebm.core.budget.Snapshot b) {
        return decidesAlike(a, answers(b));
    }

    /**
     * Rule by rule, whether it applies to {@code s}'s budget and holds of it: {@link #decidesAlike} against a
     * snapshot whose answers are known (a calculator keeps those of the stored latest, asked again every run).
     */
    public boolean[] answers(io.ebm.core.budget.Snapshot s) {
        boolean[] out = new boolean[rules.size()];
        for (int i = 0; i < out.length; i++) {
            Rule rule = rules.get(i);
            out[i] = rule.scope().matches(s.service(), s.name()) && rule.when().holds(s);
        }
        return out;
    }

    /** {@link #decidesAlike}{@code (a, b)} for the {@link #answers} of {@code b}, a snapshot of the same budget. */
    public boolean decidesAlike(io.ebm.core.budget.Snapshot a, boolean[] answersOfB) {
        for (int i = 0; i < answersOfB.length; i++) {
            Rule rule = rules.get(i);
            if (rule.scope().matches(a.service(), a.name()) && rule.when().holds(a) != answersOfB[i]) {
                return false;
            }
        }
        return true;
    }
}
