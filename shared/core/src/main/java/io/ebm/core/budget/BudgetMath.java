package io.ebm.core.budget;

import java.time.Duration;

/** Formulas of slo-math §1 that are worth naming on their own. */
public final class BudgetMath {

    private BudgetMath() {
    }

    /**
     * TTE_remaining = remaining_fraction × T / burn_rate (slo-math §1.5); with a full budget this is WB5 Table
     * 5-4's T / burn rate. Null when the budget is not burning.
     */
    public static Duration timeToExhaustion(double remainingFraction, long periodMinutes, double burnRate) {
        if (remainingFraction <= 0) {
            return Duration.ZERO;
        }
        if (burnRate <= 0) {
            return null;
        }
        return Duration.ofSeconds(Math.round(remainingFraction * periodMinutes * 60 / burnRate));
    }
}
