package io.ebm.engine.calculator;

import static io.ebm.engine.calculator.WarmCalculatorTest.SLOS;
import static io.ebm.engine.calculator.WarmCalculatorTest.T;
import static io.ebm.engine.calculator.WarmCalculatorTest.TM;
import static io.ebm.engine.calculator.WarmCalculatorTest.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.ebm.core.alert.AlertTier;
import io.ebm.core.budget.EvaluationSettings;
import io.ebm.core.slo.Slo;
import io.ebm.store.MemoryBudgetStore;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The burning mode's marks: written when a page tier's short window crosses the share, cleared when it falls. */
class BurningTest {

    @Test
    void aBudgetIsMarkedWhileItsShortWindowBurnsAndTheMarkGoesWhenItStops() {
        MemoryBudgetStore store = new MemoryBudgetStore();
        Calculator calculator = new Calculator(store, n -> { }, e -> { }, new Calculator.Options(
                EvaluationSettings.DEFAULTS, AlertTier.WORKBOOK_DEFAULTS, null, 15, 100, 0.5), line -> { });
        write(store, TM - 30 * 1440, TM, 1000);
        calculator.run(SLOS, T);
        assertThat(store.marks(Burning.MARK_PREFIX)).isEmpty();
        assertThat(Burning.of(store, SLOS)).isEmpty();

        // 5 minutes at 1% errors: the 5m window burns at 10, above half of page-1h's 14.4
        write(store, TM, TM + 5, 990);
        calculator.run(SLOS, T.plusSeconds(300));
        assertThat(store.marks(Burning.MARK_PREFIX)).containsOnlyKeys("burning/api-availability")
                .containsEntry("burning/api-availability", TM + 5);
        List<Slo> burning = Burning.of(store, SLOS);
        assertThat(burning).extracting(Slo::name).containsExactly("api-availability");

        // a minute later it still burns: the mark is not written again (it keeps its start)
        write(store, TM + 5, TM + 6, 990);
        calculator.run(SLOS, T.plusSeconds(360));
        assertThat(store.marks(Burning.MARK_PREFIX)).containsEntry("burning/api-availability", TM + 5);

        // clean minutes push the bad ones out of the short windows: the mark goes
        write(store, TM + 6, TM + 40, 1000);
        calculator.run(SLOS, T.plusSeconds(40 * 60));
        assertThat(store.marks(Burning.MARK_PREFIX)).isEmpty();
    }
}
