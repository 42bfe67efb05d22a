package io.ebm.core.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PercentTextTest {

    private static String byBigDecimal(double fraction) {
        return BigDecimal.valueOf(Math.round(fraction * 10_000), 2).stripTrailingZeros().toPlainString() + "%";
    }

    @Test
    void writesWhatTheDecimalWouldWrite() {
        assertThat(BudgetEvaluator.percent(0.873)).isEqualTo("87.3%");
        assertThat(BudgetEvaluator.percent(1)).isEqualTo("100%");
        assertThat(BudgetEvaluator.percent(0)).isEqualTo("0%");
        assertThat(BudgetEvaluator.percent(-0.00006)).isEqualTo("-0.01%");
        assertThat(BudgetEvaluator.percent(-2.5)).isEqualTo("-250%");
        assertThat(BudgetEvaluator.percent(0.12345)).isEqualTo("12.35%");
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 100_000; i++) {
            double f = switch (i % 3) {
                case 0 -> random.nextDouble(-3, 3);
                case 1 -> random.nextInt(-20_000, 20_000) / 10_000.0;
                default -> random.nextDouble(-1e12, 1e12);
            };
            assertThat(BudgetEvaluator.percent(f)).as("%s", f).isEqualTo(byBigDecimal(f));
        }
        for (double f : new double[] {Double.NaN, 1e300, -1e300, Double.NEGATIVE_INFINITY}) {
            assertThat(BudgetEvaluator.percent(f)).as("%s", f).isEqualTo(byBigDecimal(f));
        }
    }
}
