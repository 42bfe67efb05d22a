package io.ebm.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConditionCompareTest {

    private static int bySign(int c) {
        return Integer.signum(c);
    }

    @Test
    void ordersAsTheShortestDecimalOfTheDouble() {
        SplittableRandom random = new SplittableRandom(7);
        int same = 0;
        for (int i = 0; i < 200_000; i++) {
            BigDecimal share = BigDecimal.valueOf(random.nextInt(1, 10_000), random.nextInt(0, 6));
            double d = switch (i % 4) {
                case 0 -> share.doubleValue(); // the same double: decided by the decimals
                case 1 -> Math.nextUp(share.doubleValue());
                case 2 -> Math.nextDown(share.doubleValue());
                default -> random.nextDouble() * share.doubleValue() * 2;
            };
            int expected = bySign(BigDecimal.valueOf(d).compareTo(share));
            assertThat(bySign(Condition.compare(d, share))).as("%s against %s", d, share).isEqualTo(expected);
            same += d == share.doubleValue() ? 1 : 0;
        }
        assertThat(same).isGreaterThan(40_000);
    }

    @Test
    void aDecimalNoDoubleHoldsIsOrderedByItsDigits() {
        // 0.1 as a double is 0.1000000000000000055…; its shortest decimal is 0.1 again
        assertThat(Condition.compare(0.1, new BigDecimal("0.1"))).isZero();
        assertThat(Condition.compare(0.1, new BigDecimal("0.10000000000000000001"))).isNegative();
        assertThat(Condition.compare(0.1, new BigDecimal("0.09999999999999999999"))).isPositive();
        assertThat(Condition.compare(-0.0, BigDecimal.ZERO)).isZero();
    }
}
