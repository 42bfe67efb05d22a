package io.ebm.core.deploy;

import java.time.Duration;
import java.time.Instant;

/**
 * One deployment's cost to one budget: the share of the budget spent in its first {@code firstSpan} after it
 * landed, and while it was in force (until the next deployment of the service landed, or until now). Shares are
 * of the budget as the latest snapshot states it; minutes before the budget's window are not counted
 * ({@code countedFrom} says from when they are).
 */
public record LedgerEntry(Deployment deployment, String budget, Instant inForceUntil, Duration firstSpan,
                          double firstSpanShare, double inForceShare, Instant countedFrom, boolean current) {

    public Duration inForce() {
        return Duration.between(deployment.landedAt(), inForceUntil);
    }
}
