package io.ebm.core.policy;

import io.ebm.core.budget.BudgetStatus;
import io.ebm.core.budget.Snapshot;
import io.ebm.core.slo.DurationShorthand;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * When a rule applies. Every part that is set must hold (AND); an empty condition always holds.
 *
 * @param status            the snapshot's status is one of these
 * @param remainingBelow    remaining budget fraction strictly below this
 * @param tiersFiring       a tier with this name or severity fires
 * @param exhaustionWithin  at the current burn the budget runs out within this (already exhausted counts)
 * @param noData            true: the SLO has no data; false: it has
 */
public record Condition(Set<BudgetStatus> status, BigDecimal remainingBelow, Set<String> tiersFiring,
                        Duration exhaustionWithin, Boolean noData, DeploymentSpent deploymentSpent) {

    /**
     * {@code deploymentSpent: {share, within}}: the newest deployment in force spent more than {@code share} of the
     * budget within {@code within} of landing (strictly more, as the Workbook compares), so that a bad release is
     * caught by its own cost.
     */
    public record DeploymentSpent(BigDecimal share, Duration within) {
    }

    public Condition(Set<BudgetStatus> status, BigDecimal remainingBelow, Set<String> tiersFiring,
                     Duration exhaustionWithin, Boolean noData) {
        this(status, remainingBelow, tiersFiring, exhaustionWithin, noData, null);
    }

    public Condition {
        status = status == null ? Set.of() : Set.copyOf(status);
        tiersFiring = tiersFiring == null ? Set.of() : Set.copyOf(tiersFiring);
    }

    /**
     * {@code BigDecimal.valueOf(d).compareTo(b)} (the double as its shortest decimal, as it is written), without
     * writing it out unless they are the same double: the shortest decimal of a double lies within that double's
     * rounding interval, and so does {@code b} within its nearest double's; intervals of different doubles do not
     * overlap, so the doubles' order is the decimals' order.
     */
    static int compare(double d, BigDecimal b) {
        double nearest = b.doubleValue();
        return d < nearest ? -1 : d > nearest ? 1 : BigDecimal.valueOf(d).compareTo(b);
    }

    /** The reasons it holds, one per part, or empty when it does not hold. */
    public Optional<List<String>> evaluate(Snapshot s) {
        // most conditions do not hold for most budgets: asked first without wording anything
        return holds(s) ? Optional.ofNullable(check(s, new ArrayList<>())) : Optional.empty();
    }

    /** Whether it holds, without wording why (the calculator asks this of every budget at every tick). */
    public boolean holds(Snapshot s) {
        return check(s, null) != null;
    }

    /** The reasons, or null when it does not hold; {@code reasons} null: holds or not, nothing worded. */
    private List<String> check(Snapshot s, List<String> reasons) {
        if (!status.isEmpty()) {
            if (!status.contains(s.status())) {
                return null;
            }
            if (reasons != null) {
                reasons.add("status is " + s.status() + " (" + s.statusReason() + ")");
            }
        }
        if (remainingBelow != null) {
            if (s.budgetTotal().signum() == 0) {
                return null;
            }
            if (!remainsBelow(s)) {
                return null;
            }
            if (reasons != null) {
                reasons.add("remaining budget " + pct(s.budgetRemaining().divide(s.budgetTotal(), MathContext.DECIMAL64))
                        + " is below " + pct(remainingBelow));
            }
        }
        if (!tiersFiring.isEmpty()) {
            boolean any = false;
            for (int i = 0; i < s.alerts().size(); i++) { // by index: asked of every budget at every tick
                Snapshot.TierResult a = s.alerts().get(i);
                if (!a.firing() || !tiersFiring.contains(a.tier().name()) && !tiersFiring.contains(a.tier().severity())) {
                    continue;
                }
                any = true;
                if (reasons != null) {
                    reasons.add(String.format("%s alert %s firing: burn rate %.2f over %s and %.2f over %s, "
                                    + "both above %.2f", a.tier().severity(), a.tier().name(), a.longBurnRate(),
                            DurationShorthand.ofMinutes(a.tier().longWindowMinutes()), a.shortBurnRate(),
                            DurationShorthand.ofMinutes(a.tier().shortWindowMinutes()), a.factor()));
                }
            }
            if (!any) {
                return null;
            }
        }
        if (exhaustionWithin != null) {
            Duration tte = s.timeToExhaustion();
            if (tte == null || tte.compareTo(exhaustionWithin) > 0) {
                return null;
            }
            if (reasons != null) {
                reasons.add(tte.isZero() ? "budget already exhausted"
                        : "budget runs out in " + io.ebm.core.Human.duration(tte) + " at the current burn rate, within " + io.ebm.core.Human.duration(exhaustionWithin));
            }
        }
        if (noData != null) {
            boolean none = s.status() == BudgetStatus.NO_DATA;
            if (none != noData) {
                return null;
            }
            if (reasons != null) {
                reasons.add(none ? "no data: " + s.statusReason() : "data present");
            }
        }
        if (deploymentSpent != null) {
            Double spent = s.deployment() == null ? null : s.deployment().spentWithin(deploymentSpent.within());
            if (spent == null || compare(spent, deploymentSpent.share()) <= 0) {
                return null;
            }
            if (reasons != null) {
                reasons.add(s.deployment().describe() + " spent " + pct(BigDecimal.valueOf(spent)) + " of the budget "
                        + "within " + io.ebm.core.Human.duration(deploymentSpent.within()) + " of landing, more than "
                        + pct(deploymentSpent.share()));
            }
        }
        if (reasons == null) {
            return List.of();
        }
        if (reasons.isEmpty()) {
            reasons.add("always");
        }
        return reasons;
    }

    /**
     * remaining &lt; remainingBelow × total, exactly. Doubles decide when the two sides are further apart than
     * their rounding could move them (a few units in the last place, bounded here by 1e-9 of the magnitudes); the
     * exact comparison decides the rest. Every rule with {@code remainingBelow} asks it of every budget.
     */
    private boolean remainsBelow(Snapshot s) {
        double total = s.budgetTotal().doubleValue();
        double consumed = s.budgetConsumed().doubleValue();
        double remaining = total - consumed;
        double line = remainingBelow.doubleValue() * total;
        double scale = Math.abs(total) + Math.abs(consumed) + Math.abs(line);
        if (Math.abs(remaining - line) > 1e-9 * scale) {
            return remaining < line;
        }
        return s.budgetRemaining().compareTo(remainingBelow.multiply(s.budgetTotal())) < 0;
    }


    static String pct(BigDecimal fraction) {
        return fraction.movePointRight(2).round(new MathContext(4)).stripTrailingZeros().toPlainString() + "%";
    }
}
