package io.ebm.core.budget;

import java.math.BigDecimal;

/**
 * Knobs of the evaluation that the sources leave to us.
 *
 * @param warningRemaining WARNING when the remaining budget fraction is strictly below this
 * @param minimumEvents    INSUFFICIENT_TRAFFIC when the SLO window holds fewer events than this (0: off)
 * @param currentBurnMinutes the window whose burn rate counts as "current" for the time to exhaustion
 * @param staleAfterMinutes NO_DATA when the newest counts are older than this (0: off)
 */
public record EvaluationSettings(BigDecimal warningRemaining, long minimumEvents, long currentBurnMinutes,
                                 long staleAfterMinutes) {

    public static final EvaluationSettings DEFAULTS = new EvaluationSettings(new BigDecimal("0.25"), 0, 60, 0);

    /** The longest "current" window: every budget keeps at least three days of history, whatever its window. */
    public static final long MAX_CURRENT_BURN_MINUTES = 3 * 1440;

    public EvaluationSettings(BigDecimal warningRemaining, long minimumEvents, long currentBurnMinutes) {
        this(warningRemaining, minimumEvents, currentBurnMinutes, 0);
    }

    public EvaluationSettings {
        if (warningRemaining.signum() < 0 || warningRemaining.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("warningRemaining must be in [0, 1], got " + warningRemaining);
        }
        if (minimumEvents < 0) {
            throw new IllegalArgumentException("minimumEvents must not be negative");
        }
        if (currentBurnMinutes <= 0 || currentBurnMinutes > MAX_CURRENT_BURN_MINUTES) {
            throw new IllegalArgumentException("currentBurnMinutes must be 1 to " + MAX_CURRENT_BURN_MINUTES
                    + ", got " + currentBurnMinutes);
        }
        if (staleAfterMinutes < 0) {
            throw new IllegalArgumentException("staleAfterMinutes must not be negative");
        }
    }

    /** These settings, with {@code minutes} as the staleness limit when they name none (0). */
    public EvaluationSettings staleAfterUnlessSet(long minutes) {
        return staleAfterMinutes != 0 || minutes == 0 ? this
                : new EvaluationSettings(warningRemaining, minimumEvents, currentBurnMinutes, minutes);
    }
}
