package io.ebm.core.port;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The detail of an {@code Error Budget Status Changed} event. {@code previousStatus} is null for a budget's
 * first snapshot. The schema is in docs/events.md.
 */
public record StatusChange(String slo, String service, String previousStatus, String status, String reason,
                           Instant evaluatedAt, long snapshotVersion, Double remainingFraction,
                           Map<String, Double> burnRates, List<String> firingTiers) {
}
