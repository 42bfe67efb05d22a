package io.ebm.core.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebm.core.TestSlos;
import io.ebm.core.slo.BudgetingMethod;
import io.ebm.core.slo.DurationShorthand;
import io.ebm.core.slo.Objective;
import io.ebm.core.slo.RollingWindow;
import io.ebm.core.slo.Slo;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The budget names the policy reads come without building the budgets, and are the names the budgets have. */
class BudgetSpecNamesTest {

    private static final RollingWindow D30 = new RollingWindow(DurationShorthand.parse("30d"));

    @Test
    void namesAreTheNamesOfTheBudgetsOfEverySlo() {
        Slo single = TestSlos.slo("api", D30, BudgetingMethod.OCCURRENCES, "0.999");
        Slo composite = TestSlos.composite("journey", D30, List.of(TestSlos.component("browse", "0.99", "1"),
                TestSlos.component("buy", "0.999", "3")));
        Objective fast = new Objective("fast", null, new BigDecimal("0.95"), null, null, null, null, null, null);
        Objective slow = new Objective("slow", null, new BigDecimal("0.99"), null, null, null, null, null, null);
        Slo twoObjectives = new Slo("latency", null, null, "svc", TestSlos.RATIO, D30, BudgetingMethod.OCCURRENCES,
                List.of(fast, slow), List.of(), false, Map.of(), "test");
        List<Slo> slos = List.of(single, composite, twoObjectives);

        List<String> built = slos.stream().flatMap(s -> BudgetSpec.of(s, TestSlos.workbookTiers()).stream())
                .map(BudgetSpec::name).toList();
        assertThat(BudgetSpec.names(slos, TestSlos.workbookTiers()))
                .containsExactly("api", "journey", "latency/fast", "latency/slow")
                .isEqualTo(built);
    }
}
