package io.ebm.core.alert;

import java.time.Duration;
import java.time.Instant;

/** The result of one evaluation of a tier: the next state and what, if anything, must be announced. */
public record AlertTransition(AlertState next, Change change) {

    public enum Change { NONE, FIRED, RESOLVED }

    /**
     * inactive → (pending →) firing → resolved, as a pure function. {@code alertAfter} is OpenSLO's hold time;
     * the Workbook tiers use none.
     */
    public static AlertTransition next(AlertState current, boolean conditionHolds, Instant at, Duration alertAfter) {
        String slo = current.slo();
        String tier = current.tier();
        if (conditionHolds) {
            return switch (current.phase()) {
                case FIRING -> new AlertTransition(current, Change.NONE);
                case PENDING -> Duration.between(current.since(), at).compareTo(alertAfter) >= 0
                        ? fire(slo, tier, at)
                        : new AlertTransition(current, Change.NONE);
                case INACTIVE, RESOLVED -> alertAfter.isZero()
                        ? fire(slo, tier, at)
                        : new AlertTransition(new AlertState(slo, tier, AlertState.Phase.PENDING, at, null), Change.NONE);
            };
        }
        return switch (current.phase()) {
            case FIRING -> new AlertTransition(
                    new AlertState(slo, tier, AlertState.Phase.RESOLVED, at, current.dedupKey()), Change.RESOLVED);
            case PENDING -> new AlertTransition(AlertState.inactive(slo, tier), Change.NONE);
            case INACTIVE, RESOLVED -> new AlertTransition(current, Change.NONE);
        };
    }

    private static AlertTransition fire(String slo, String tier, Instant at) {
        String key = slo + "/" + tier + "/" + at.getEpochSecond() / 60;
        return new AlertTransition(new AlertState(slo, tier, AlertState.Phase.FIRING, at, key), Change.FIRED);
    }
}
