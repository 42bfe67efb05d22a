package io.ebm.core.budget;

import io.ebm.core.alert.AlertTier;
import io.ebm.core.deploy.DeploymentSpend;
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
 * @param deployment      what the newest deployment in force has spent of the budget; null when none is known
 */
public record Snapshot(String name, String service, BigDecimal target, String budgetingMethod, String window,
                       Instant evaluatedAt, Instant windowStart, Instant windowEnd, long periodMinutes,
                       long goodEvents, long totalEvents, Double sli, String budgetUnit,
                       BigDecimal budgetTotal, BigDecimal budgetConsumed, Map<String, Double> burnRates,
                       List<TierResult> alerts, Duration timeToExhaustion, BudgetStatus status,
                       String statusReason, boolean noDataAlert, Instant lastDataAt, DeploymentSpend deployment) {

    /** A snapshot before any deployment is known of. */
    public Snapshot(String name, String service, BigDecimal target, String budgetingMethod, String window,
                    Instant evaluatedAt, Instant windowStart, Instant windowEnd, long periodMinutes,
                    long goodEvents, long totalEvents, Double sli, String budgetUnit,
                    BigDecimal budgetTotal, BigDecimal budgetConsumed, Map<String, Double> burnRates,
                    List<TierResult> alerts, Duration timeToExhaustion, BudgetStatus status,
                    String statusReason, boolean noDataAlert, Instant lastDataAt) {
        this(name, service, target, budgetingMethod, window, evaluatedAt, windowStart, windowEnd, periodMinutes,
                goodEvents, totalEvents, sli, budgetUnit, budgetTotal, budgetConsumed, burnRates, alerts,
                timeToExhaustion, status, statusReason, noDataAlert, lastDataAt, null);
    }

    /** This snapshot with what the newest deployment in force has spent of it. */
    public Snapshot withDeployment(DeploymentSpend spend) {
        return new Snapshot(name, service, target, budgetingMethod, window, evaluatedAt, windowStart, windowEnd,
                periodMinutes, goodEvents, totalEvents, sli, budgetUnit, budgetTotal, budgetConsumed, burnRates,
                alerts, timeToExhaustion, status, statusReason, noDataAlert, lastDataAt, spend);
    }

    /**
     * One tier's verdict with both windows' burn rates against its threshold. {@code firing} is true once the
     * condition has held for the tier's {@code alertAfter} (and, once firing, until it has resolved); until then
     * it is {@code pending}. {@code shortStep} is how far one bad slice (one bad event) moves the short window's
     * burn rate: a firing tier keeps firing while its short window is within one step of the threshold.
     */
    public record TierResult(AlertTier tier, double factor, Double longBurnRate, Double shortBurnRate,
                             boolean firing, boolean pending, double shortStep) {

        /** A verdict with no hold: firing as soon as the condition holds. */
        public TierResult(AlertTier tier, double factor, Double longBurnRate, Double shortBurnRate, boolean firing) {
            this(tier, factor, longBurnRate, shortBurnRate, firing, false, 0);
        }

        public TierResult(AlertTier tier, double factor, Double longBurnRate, Double shortBurnRate, boolean firing,
                          boolean pending) {
            this(tier, factor, longBurnRate, shortBurnRate, firing, pending, 0);
        }

        /** The same burn rates, with the tier's standing after its hold. */
        public TierResult held(boolean nowFiring, boolean nowPending) {
            return new TierResult(tier, factor, longBurnRate, shortBurnRate, nowFiring, nowPending, shortStep);
        }
    }

    /** This snapshot with its tiers' verdicts replaced (after {@code alertAfter} holds were applied). */
    public Snapshot withAlerts(List<TierResult> held) {
        return new Snapshot(name, service, target, budgetingMethod, window, evaluatedAt, windowStart, windowEnd,
                periodMinutes, goodEvents, totalEvents, sli, budgetUnit, budgetTotal, budgetConsumed, burnRates,
                List.copyOf(held), timeToExhaustion, status, statusReason, noDataAlert, lastDataAt, deployment);
    }

    /**
     * This snapshot as NO_DATA, for a reader that finds it too old to trust (the calculator stopped): freshness
     * is data, and an old snapshot is not a healthy one. Its numbers stay for display; no tier fires.
     */
    public Snapshot asStale(String reason) {
        List<TierResult> quiet = alerts.stream().map(t -> t.held(false, false)).toList();
        return new Snapshot(name, service, target, budgetingMethod, window, evaluatedAt, windowStart, windowEnd,
                periodMinutes, goodEvents, totalEvents, sli, budgetUnit, budgetTotal, budgetConsumed, burnRates,
                quiet, timeToExhaustion, BudgetStatus.NO_DATA, reason, noDataAlert, lastDataAt, deployment);
    }

    /**
     * Whether a reader decides the same from both: status, the tiers firing and pending, the no-data alert, the
     * newest deployment and its spend, and the remaining budget to a percentage point. Burn rates move every
     * minute and decide nothing the tiers do not say: the calculator rewrites the latest snapshot when this
     * changes, or once an hour (the numbers shown are then at most an hour old), and confirms it otherwise.
     */
    public boolean readsAs(Snapshot other) {
        return status == other.status && noDataAlert == other.noDataAlert
                && sameTiers(other, true) && sameTiers(other, false)
                && percentLeft() == other.percentLeft()
                && java.util.Objects.equals(deployment == null ? null : deployment.execution(),
                        other.deployment == null ? null : other.deployment.execution())
                && percent(deployment == null ? null : deployment.sinceLanding())
                        == percent(other.deployment == null ? null : other.deployment.sinceLanding());
    }

    /**
     * Whether both name the same tiers firing (or pending), in tier order: a snapshot's tiers come in its SLO's
     * order. Walked side by side without a list: the calculator asks at every evaluation.
     */
    private boolean sameTiers(Snapshot other, boolean firing) {
        int i = 0;
        int j = 0;
        while (true) {
            while (i < alerts.size() && !(firing ? alerts.get(i).firing() : alerts.get(i).pending())) {
                i++;
            }
            while (j < other.alerts.size() && !(firing ? other.alerts.get(j).firing() : other.alerts.get(j).pending())) {
                j++;
            }
            if (i == alerts.size() || j == other.alerts.size()) {
                return i == alerts.size() && j == other.alerts.size();
            }
            if (!alerts.get(i).tier().name().equals(other.alerts.get(j).tier().name())) {
                return false;
            }
            i++;
            j++;
        }
    }

    /** The remaining budget in whole percent (doubles: a comparison of two snapshots, not a figure shown). */
    private long percentLeft() {
        double total = budgetTotal.doubleValue();
        return total == 0 ? Long.MIN_VALUE : Math.round((1 - budgetConsumed.doubleValue() / total) * 100);
    }

    private static long percent(Double fraction) {
        return fraction == null || fraction.isNaN() ? Long.MIN_VALUE : Math.round(fraction * 100);
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
