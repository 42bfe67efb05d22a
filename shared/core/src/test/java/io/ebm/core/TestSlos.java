package io.ebm.core;

import io.ebm.core.alert.AlertTier;
import io.ebm.core.slo.BudgetingMethod;
import io.ebm.core.slo.DurationShorthand;
import io.ebm.core.slo.Indicator;
import io.ebm.core.slo.MetricSource;
import io.ebm.core.slo.Objective;
import io.ebm.core.slo.Slo;
import io.ebm.core.slo.TimeWindow;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** Builds SLOs for tests without YAML. */
public final class TestSlos {

    private TestSlos() {
    }

    public static final Indicator RATIO = new Indicator("sli", null, Indicator.Kind.RATIO,
            new MetricSource("Test", null, Map.of(), null), null, new MetricSource("Test", null, Map.of(), null),
            null, null, null);

    public static Slo slo(String name, TimeWindow window, BudgetingMethod method, String target) {
        return slo(name, window, method, target, null, null);
    }

    public static Slo slo(String name, TimeWindow window, BudgetingMethod method, String target,
                          String timeSliceTarget, String timeSliceWindow) {
        Objective o = new Objective("main", null, new BigDecimal(target), null, null,
                timeSliceTarget == null ? null : new BigDecimal(timeSliceTarget),
                timeSliceWindow == null ? null : DurationShorthand.parse(timeSliceWindow), null, null);
        return new Slo(name, null, null, "svc", RATIO, window, method, List.of(o), List.of(), false, Map.of(), "test");
    }

    public static Slo composite(String name, TimeWindow window, List<Objective> objectives) {
        return new Slo(name, null, null, "svc", RATIO, window, BudgetingMethod.OCCURRENCES, objectives, List.of(),
                false, Map.of(), "test");
    }

    public static Objective component(String name, String target, String weight) {
        return new Objective(name, null, new BigDecimal(target), null, null, null, null, null, new BigDecimal(weight));
    }

    public static List<AlertTier> workbookTiers() {
        return AlertTier.WORKBOOK_DEFAULTS;
    }
}
