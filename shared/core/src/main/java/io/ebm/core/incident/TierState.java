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

    // Written out, as the record would: its generated equals and hashCode run through method handles, which the C1
    // compiler the local runtime and Lambda use calls rather than inlines. A book's equality compares each of its
    // tiers.
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof TierState t && phase == t.phase && java.util.Objects.equals(tier, t.tier)
                && java.util.Objects.equals(since, t.since);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(tier, phase, since);
    }
}
