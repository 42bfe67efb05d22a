package io.ebm.core.policy;

import io.ebm.core.alert.AlertTier;
import io.ebm.core.budget.EvaluationSettings;
import java.util.List;

/**
 * An error-budget policy: rules in order, what to do when there is no data, exclusion windows, and the
 * alerting and evaluation settings the policy owner chose.
 *
 * @param tiers      the alert tiers for SLOs that name no OpenSLO alert policy
 * @param overrides  overrides written in the policy file (more come from the store at run time)
 */
public record Policy(String name, NoData onNoData, List<Rule> rules, List<Exclusion> exclusions,
                     List<ReleaseOverride> overrides, List<AlertTier> tiers, EvaluationSettings settings) {

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
    }

    /** No rules: the gate allows everything; Workbook tiers; default settings. */
    public static final Policy NONE = new Policy("none", NoData.FAIL_OPEN, List.of(), List.of(), List.of(),
            AlertTier.WORKBOOK_DEFAULTS, EvaluationSettings.DEFAULTS);
}
