package io.ebm.core.budget;

import io.ebm.core.alert.AlertTier;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One budget at one instant. Exact quantities are BigDecimal; doubles are for display. Budget amounts are in
 * events for Occurrences and in minutes for time-slice methods ({@code budgetUnit}).
 *
 * @param sli             good / valid over the SLO window; null when there is no data
 * @param budgetTotal     the error budget: (1 − target) × events seen, or (1 − target) × period minutes
 * @param budgetConsumed  bad events, or bad slice-minutes
 * @param burnRates       keyed 5m, 30m, 1h, 2h, 6h, 1d, 3d and window; a value is null when its window had no data
 * @param timeToExhaustion at the current burn rate; null when the budget is not burning
 * @param lastDataAt      the end of the newest minute with counts; null when none was ever read. A snapshot
 *                        whose input is older than the configured staleness is NO_DATA.
 */
public record Snapshot(String name, String service, BigDecimal target, String budgetingMethod, String window,
                       Instant evaluatedAt, Instant windowStart, Instant windowEnd, long periodMinutes,
                       long goodEvents, long totalEvents, Double sli, String budgetUnit,
                       BigDecimal budgetTotal, BigDecimal budgetConsumed, Map<String, Double> burnRates,
                       List<TierResult> alerts, Duration timeToExhaustion, BudgetStatus status,
                       String statusReason, boolean noDataAlert, Instant lastDataAt) {

    /** One tier's verdict with both windows' burn rates against its threshold. */
    public record TierResult(AlertTier tier, double factor, Double longBurnRate, Double shortBurnRate,
                             boolean firing) {
    }

    public BigDecimal budgetRemaining() {
        return budgetTotal.subtract(budgetConsumed);
    }

    /** consumed / total; null when there is no budget yet (no events seen). */
    public Double consumedFraction() {
        if (budgetTotal.signum() == 0) {
            return null;
        }
        return budgetConsumed.divide(budgetTotal, MathContext.DECIMAL64).doubleValue();
    }

    public Double remainingFraction() {
        Double consumed = consumedFraction();
        return consumed == null ? null : 1.0 - consumed;
    }

    /** Remaining minutes of a time-slice budget; null for Occurrences. */
    public Double remainingMinutes() {
        return "minutes".equals(budgetUnit) ? budgetRemaining().doubleValue() : null;
    }
}
