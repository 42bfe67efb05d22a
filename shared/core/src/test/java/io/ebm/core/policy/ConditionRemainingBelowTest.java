package io.ebm.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebm.core.budget.BudgetStatus;
import io.ebm.core.budget.Snapshot;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@code remainingBelow} decides in doubles only far from the line: on and near it, the exact answer. */
class ConditionRemainingBelowTest {

    private static final Instant AT = Instant.parse("2026-11-20T12:00:00Z");

    private static Snapshot budget(BigDecimal total, BigDecimal consumed) {
        return new Snapshot("api", "checkout", new BigDecimal("0.999"), "Occurrences", "30d rolling", AT,
                AT.minusSeconds(30 * 86_400), AT, 43_200, 0, 0, null, "events", total, consumed, Map.of(), List.of(),
                null, BudgetStatus.HEALTHY, "", false, AT);
    }

    private static boolean holds(String below, BigDecimal total, BigDecimal consumed) {
        return new Condition(null, new BigDecimal(below), null, null, null).holds(budget(total, consumed));
    }

    @Test
    void onTheLineIsNotBelowAndTheSmallestStepPastItIs() {
        // remaining 250 of 1000 is exactly a quarter: strictly below a quarter is false
        assertThat(holds("0.25", new BigDecimal("1000"), new BigDecimal("750"))).isFalse();
        assertThat(holds("0.25", new BigDecimal("1000"), new BigDecimal("750.000000000001"))).isTrue();
        assertThat(holds("0.25", new BigDecimal("1000"), new BigDecimal("749.999999999999"))).isFalse();
        // sides that are one double apart, or the same double: decided by the decimals
        assertThat(holds("0.1", new BigDecimal("3"), new BigDecimal("2.7"))).isFalse();
        assertThat(holds("0.1", new BigDecimal("3"), new BigDecimal("2.70000000000000000001"))).isTrue();
    }

    @Test
    void agreesWithTheExactComparisonNearAndFarFromTheLine() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 100_000; i++) {
            BigDecimal total = BigDecimal.valueOf(random.nextLong(1, 10_000_000_000L), random.nextInt(0, 5));
            BigDecimal below = BigDecimal.valueOf(random.nextInt(1, 100), 2);
            BigDecimal line = total.subtract(below.multiply(total)); // consumed that leaves exactly the share
            BigDecimal consumed = switch (i % 4) {
                case 0 -> line;
                case 1 -> line.add(BigDecimal.valueOf(1, 12 + random.nextInt(8)));
                case 2 -> line.subtract(BigDecimal.valueOf(1, 12 + random.nextInt(8)));
                default -> total.multiply(BigDecimal.valueOf(random.nextInt(0, 2_000), 3));
            };
            boolean exact = total.subtract(consumed).compareTo(below.multiply(total)) < 0;
            if (i % 4 < 3) {
                // near the line the answer is known: only the consumed a little past it leaves less than the share
                assertThat(exact).as("%s of %s below %s", consumed, total, below).isEqualTo(i % 4 == 1);
            }
            assertThat(holds(below.toPlainString(), total, consumed)).as("%s of %s below %s", consumed, total, below)
                    .isEqualTo(exact);
        }
    }
}
