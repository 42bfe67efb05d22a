package io.ebm.core.budget;

import io.ebm.core.alert.AlertTier;
import io.ebm.core.slo.BudgetingMethod;
import io.ebm.core.slo.Objective;
import io.ebm.core.slo.Slo;
import io.ebm.core.slo.TimeWindow;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * One error budget: what gets a snapshot. An SLO with one objective has one budget named after the SLO; an SLO
 * with several plain objectives has one per objective ({@code slo/objective}); a composite SLO has one budget
 * fed by weighted components, each with its own counts under {@code slo/objective}.
 */
public record BudgetSpec(String name, Slo slo, List<Component> components, int sliceMinutes, List<AlertTier> tiers) {

    /** One series of counts feeding this budget. */
    public record Component(String dataKey, BigDecimal weight, BigDecimal target, BigDecimal timeSliceTarget) {
    }

    public BudgetSpec {
        components = List.copyOf(components);
        tiers = List.copyOf(tiers);
    }

    /**
     * The objective whose counts feed component {@code i}: a composite's i-th objective, the only objective,
     * or the one a multi-objective SLO's budget is named after ({@code slo/objective}).
     */
    public Objective objectiveOf(int component) {
        if (slo.isComposite() || slo.objectives().size() == 1) {
            return slo.objectives().get(slo.isComposite() ? component : 0);
        }
        String objective = name.substring(name.indexOf('/') + 1);
        return slo.objectives().stream().filter(o -> o.name().equals(objective)).findFirst().orElseThrow();
    }

    public BudgetingMethod method() {
        return slo.budgetingMethod();
    }

    public TimeWindow window() {
        return slo.window();
    }

    public String service() {
        return slo.service();
    }

    /** The target when every component shares one; null for a composite with mixed targets. */
    public BigDecimal sharedTarget() {
        BigDecimal first = components.get(0).target();
        return components.stream().allMatch(c -> c.target().compareTo(first) == 0) ? first : null;
    }

    /** The names of every budget of {@code slos}, in their order: what a batch read of their snapshots asks for. */
    public static List<String> names(List<io.ebm.core.slo.Slo> slos, List<AlertTier> defaultTiers) {
        List<String> out = new java.util.ArrayList<>();
        for (io.ebm.core.slo.Slo slo : slos) {
            // the names of(slo, ...) gives its budgets, without building them (the policy asks every run)
            if (slo.isComposite() || slo.objectives().size() == 1) {
                out.add(slo.name());
            } else {
                for (Objective o : slo.objectives()) {
                    out.add(slo.name() + "/" + o.name());
                }
            }
        }
        return out;
    }

    /** Splits an SLO into its budgets. Tiers: the SLO's own alert policies, else {@code defaultTiers}. */
    public static List<BudgetSpec> of(Slo slo, List<AlertTier> defaultTiers) {
        List<AlertTier> tiers = slo.alertTiers().isEmpty() ? defaultTiers : slo.alertTiers();
        List<Objective> objectives = slo.objectives();
        int slice = sliceMinutes(slo, objectives.get(0));
        if (slo.isComposite()) {
            List<Component> parts = new ArrayList<>();
            for (Objective o : objectives) {
                parts.add(new Component(slo.name() + "/" + o.name(), o.compositeWeight(), o.target(),
                        o.timeSliceTarget()));
            }
            return List.of(new BudgetSpec(slo.name(), slo, parts, slice, tiers));
        }
        if (objectives.size() == 1) {
            Objective o = objectives.get(0);
            return List.of(new BudgetSpec(slo.name(), slo,
                    List.of(new Component(slo.name(), BigDecimal.ONE, o.target(), o.timeSliceTarget())), slice, tiers));
        }
        List<BudgetSpec> specs = new ArrayList<>();
        for (Objective o : objectives) {
            String name = slo.name() + "/" + o.name();
            specs.add(new BudgetSpec(name, slo,
                    List.of(new Component(name, BigDecimal.ONE, o.target(), o.timeSliceTarget())),
                    sliceMinutes(slo, o), tiers));
        }
        return specs;
    }

    private static int sliceMinutes(Slo slo, Objective o) {
        if (!slo.budgetingMethod().isSliced() || o.timeSliceWindow() == null) {
            return 1;
        }
        return Math.toIntExact(o.timeSliceWindow().toMinutes());
    }
}
