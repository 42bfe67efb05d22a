package io.ebm.core.alert;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * How the tiers of one SLO become incidents, as the error-budget policy sets it ({@code spec.alerting}).
 *
 * @param resolveAfter  how long a firing tier's condition must stay false before the tier stops counting;
 *                      null: the tier's own short window (its condition cannot turn true and false faster)
 * @param resolveMargin a share of the threshold: a firing tier keeps firing while both windows still burn above
 *                      {@code threshold × (1 − margin)}, so that a burn hovering at the line does not flap
 * @param grouping      notices of several SLOs that open together go out as one; null: one notice per SLO
 * @param noDataAfter   how long an SLO with {@code alertWhenNoData} has no data before the no-data notice goes
 *                      out (a first evaluation before the first counts arrive tells nobody)
 */
public record AlertRules(Duration resolveAfter, BigDecimal resolveMargin, Grouping grouping, Duration noDataAfter) {

    /** The margin when the policy names none: a tenth of the threshold. */
    public static final BigDecimal DEFAULT_MARGIN = new BigDecimal("0.1");

    /** The no-data hold when the policy names none. */
    public static final Duration DEFAULT_NO_DATA_AFTER = Duration.ofMinutes(15);

    public static final AlertRules DEFAULTS = new AlertRules(null, DEFAULT_MARGIN, null, DEFAULT_NO_DATA_AFTER);

    /** Which SLOs' notices go out together, and how long the first of them waits for the others. */
    public record Grouping(By by, Duration interval) {
        public enum By { SERVICE, METRIC }

        public Grouping {
            if (by == null || interval == null || interval.isNegative()) {
                throw new IllegalArgumentException("grouping needs a kind and an interval of 0 or more");
            }
        }
    }

    public AlertRules {
        if (resolveMargin == null || resolveMargin.signum() < 0 || resolveMargin.compareTo(BigDecimal.ONE) >= 0) {
            throw new IllegalArgumentException("resolveMargin must be from 0 to below 1, got " + resolveMargin);
        }
        if (noDataAfter == null || noDataAfter.isNegative()) {
            throw new IllegalArgumentException("noDataAfter must be 0 or more, got " + noDataAfter);
        }
        if (resolveAfter != null && resolveAfter.isNegative()) {
            throw new IllegalArgumentException("resolveAfter must not be negative, got " + resolveAfter);
        }
    }

    /** The hold of one tier: how long its condition stays false before it resolves. */
    public Duration holdOf(AlertTier tier) {
        return resolveAfter != null ? resolveAfter : Duration.ofMinutes(tier.shortWindowMinutes());
    }
}
