package io.ebm.core.slo;

import io.ebm.core.alert.AlertTier;
import java.util.List;
import java.util.Map;

/**
 * An OpenSLO SLO after loading: references resolved, values checked. {@code alertTiers} is empty when the SLO
 * names no alert policy, in which case the Workbook's default tiers apply.
 */
public record Slo(String name, String displayName, String description, String service, Indicator indicator,
                  TimeWindow window, BudgetingMethod budgetingMethod, List<Objective> objectives,
                  List<AlertTier> alertTiers, boolean alertWhenNoData, Map<String, String> annotations,
                  String sourceFile) {

    public Slo {
        // one String per service name, shared with the policy's scopes and release actions: the gate, the
        // reconcile and the calculator compare and hash it for every budget, and equal names then compare by
        // identity (a definition is made once per load, so the intern costs nothing per run)
        service = service == null ? null : service.intern();
        objectives = List.copyOf(objectives);
        alertTiers = List.copyOf(alertTiers);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public boolean isComposite() {
        for (Objective o : objectives) { // a loop: every budget read of every run asks
            if (o.compositeWeight() != null) {
                return true;
            }
        }
        return false;
    }

    /** Whether the collector can fetch every SLI this SLO reads from CloudWatch. */
    public boolean collectableFromCloudWatch() {
        if (isComposite()) {
            return objectives.stream().allMatch(o -> indicatorOf(o).collectableFromCloudWatch());
        }
        return indicator.collectableFromCloudWatch();
    }

    /** Every CloudWatch metric the SLO's indicators read ({@link CloudWatchMetric#metricsRead}), sorted. */
    public java.util.SortedSet<String> cloudWatchMetricsRead() {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        java.util.List<Indicator> indicators = new java.util.ArrayList<>();
        if (indicator != null) {
            indicators.add(indicator);
        }
        objectives.stream().map(Objective::indicator).filter(java.util.Objects::nonNull).forEach(indicators::add);
        for (Indicator i : indicators) {
            for (MetricSource m : java.util.Arrays.asList(i.good(), i.bad(), i.total(), i.raw(), i.threshold())) {
                if (m != null && m.cloudWatch() != null) {
                    out.addAll(m.cloudWatch().metricsRead());
                }
            }
        }
        return out;
    }

    public Indicator indicatorOf(Objective objective) {
        return objective.indicator() != null ? objective.indicator() : indicator;
    }
}
