package io.ebm.core.alert;

import java.time.Instant;

/**
 * Where one tier of one SLO stands. {@code since} is when the current phase began; {@code dedupKey} names one
 * firing episode, the same on its FIRED and RESOLVED notices, so a pager can pair them and drop repeats.
 */
public record AlertState(String slo, String tier, Phase phase, Instant since, String dedupKey) {

    public enum Phase { INACTIVE, PENDING, FIRING, RESOLVED }

    public static AlertState inactive(String slo, String tier) {
        return new AlertState(slo, tier, Phase.INACTIVE, null, null);
    }
}
