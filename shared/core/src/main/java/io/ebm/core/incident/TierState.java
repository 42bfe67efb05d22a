package io.ebm.core.incident;

import java.time.Instant;

/**
 * Where one tier of one SLO stands. PENDING: the condition holds, {@code alertAfter} has not passed yet.
 * FIRING: the tier counts for the SLO's incident. CLEARING: still counting, but the condition has been false
 * (below the margin) since {@code since}; after the resolve hold the tier is INACTIVE again, and if the
 * condition comes back first it is FIRING again in the same incident.
 */
public record TierState(String tier, Phase phase, Instant since) {

    public enum Phase { INACTIVE, PENDING, FIRING, CLEARING }

    public static TierState inactive(String tier) {
        return new TierState(tier, Phase.INACTIVE, null);
    }

    /** Whether the tier counts for the incident: firing, or clearing within its hold. */
    public boolean counts() {
        return phase == Phase.FIRING || phase == Phase.CLEARING;
    }
}
