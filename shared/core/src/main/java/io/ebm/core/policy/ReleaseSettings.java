package io.ebm.core.policy;

import java.time.Duration;

/**
 * How the policy acts on releases and forced flags ({@code spec.release} and {@code spec.onUnknownService}).
 *
 * @param liftAfter           a freeze or a forced flag is lifted only after the gate has allowed (the rule has
 *                            stopped holding) for this long, so that a budget hovering at a threshold does not
 *                            flap a pipeline; zero lifts at once
 * @param staleAfter          a snapshot older than this is NO_DATA for the gate and the reconciler; null: twice
 *                            the calculator's schedule, which the deployment knows
 * @param overrideMaxDuration the longest an override may be created for
 * @param onUnknownService    what the gate answers for a service no SLO belongs to (a typo in an approval's
 *                            custom data)
 */
public record ReleaseSettings(Duration liftAfter, Duration staleAfter, Duration overrideMaxDuration,
                              Policy.NoData onUnknownService) {

    public static final ReleaseSettings DEFAULTS = new ReleaseSettings(Duration.ofMinutes(30), null,
            Duration.ofDays(7), Policy.NoData.FAIL_CLOSED);

    /** What a reader of snapshots uses when the calculator's schedule is unknown: twice a 5-minute tick. */
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofMinutes(10);

    public ReleaseSettings {
        if (liftAfter == null || liftAfter.isNegative()) {
            throw new IllegalArgumentException("liftAfter must be zero or positive");
        }
        if (staleAfter != null && (staleAfter.isZero() || staleAfter.isNegative())) {
            throw new IllegalArgumentException("staleAfter must be positive");
        }
        if (overrideMaxDuration == null || overrideMaxDuration.isZero() || overrideMaxDuration.isNegative()) {
            throw new IllegalArgumentException("overrideMaxDuration must be positive");
        }
    }

    /** The staleness bound in force: the policy's own, else {@code scheduleDefault}. */
    public Duration staleAfterOr(Duration scheduleDefault) {
        return staleAfter != null ? staleAfter : scheduleDefault;
    }
}
