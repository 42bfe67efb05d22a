package io.ebm.core.alert;

import java.math.BigDecimal;
import java.util.List;

/**
 * One multiwindow burn-rate alert, kept as data. The threshold is either a share of the budget spent over the
 * long window (the Workbook's design intent, from which the factor follows for each SLO window) or a fixed
 * burn-rate factor (what an OpenSLO AlertCondition states). It fires only when both windows' burn rates compare
 * with it as {@code op} says: exceed it, unless an OpenSLO condition asks for another comparison.
 */
public record AlertTier(String name, String severity, long longWindowMinutes, long shortWindowMinutes,
                        BigDecimal budgetShare, BigDecimal burnRate, long alertAfterMinutes, boolean enabled,
                        Comparison op, Notify routing) {

    /**
     * What the tier's alert policy asks to be told (OpenSLO {@code alertWhenBreaching}, {@code alertWhenResolved})
     * and where ({@code notificationTargets}, by name: SNS subscriptions filter on them).
     */
    public record Notify(boolean whenBreaching, boolean whenResolved, List<String> targets) {
        public static final Notify ALWAYS = new Notify(true, true, List.of());

        public Notify {
            targets = List.copyOf(targets);
        }
    }

    /** A tier that notifies on breach and on resolve, to every subscriber. */
    public AlertTier(String name, String severity, long longWindowMinutes, long shortWindowMinutes,
                     BigDecimal budgetShare, BigDecimal burnRate, long alertAfterMinutes, boolean enabled,
                     Comparison op) {
        this(name, severity, longWindowMinutes, shortWindowMinutes, budgetShare, burnRate, alertAfterMinutes, enabled,
                op, Notify.ALWAYS);
    }

    /** A tier that fires when both windows burn faster than its threshold (the Workbook's {@code >}). */
    public AlertTier(String name, String severity, long longWindowMinutes, long shortWindowMinutes,
                     BigDecimal budgetShare, BigDecimal burnRate, long alertAfterMinutes, boolean enabled) {
        this(name, severity, longWindowMinutes, shortWindowMinutes, budgetShare, burnRate, alertAfterMinutes, enabled,
                Comparison.GT);
    }

    public AlertTier {
        if (routing == null) {
            throw new IllegalArgumentException("tier " + name + ": notify settings are required");
        }
        if (op == null) {
            throw new IllegalArgumentException("tier " + name + ": a comparison is required");
        }
        if ((budgetShare == null) == (burnRate == null)) {
            throw new IllegalArgumentException("tier " + name + ": give exactly one of budgetShare and burnRate");
        }
        if (longWindowMinutes <= 0 || shortWindowMinutes <= 0) {
            throw new IllegalArgumentException("tier " + name + ": windows must be positive");
        }
    }

    public static AlertTier ofBudgetShare(String name, String severity, String share, long longMinutes,
                                          long shortMinutes) {
        return new AlertTier(name, severity, longMinutes, shortMinutes, new BigDecimal(share), null, 0, true);
    }

    /** The Workbook's tiers: page 2% in 1h/5m and 5% in 6h/30m; ticket 10% in 1d/2h and 10% in 3d/6h. */
    public static final List<AlertTier> WORKBOOK_DEFAULTS = List.of(
            ofBudgetShare("page-1h", "page", "0.02", 60, 5),
            ofBudgetShare("page-6h", "page", "0.05", 360, 30),
            ofBudgetShare("ticket-1d", "ticket", "0.10", 1440, 120),
            ofBudgetShare("ticket-3d", "ticket", "0.10", 4320, 360));

    /** burn rate = share × T / long window, with T the SLO period in force. */
    public BurnRateThreshold thresholdFor(long periodMinutes) {
        if (burnRate != null) {
            return BurnRateThreshold.of(burnRate);
        }
        return new BurnRateThreshold(budgetShare.multiply(BigDecimal.valueOf(periodMinutes)), longWindowMinutes);
    }

    public AlertTier withEnabled(boolean on) {
        return new AlertTier(name, severity, longWindowMinutes, shortWindowMinutes, budgetShare, burnRate,
                alertAfterMinutes, on, op, routing);
    }

    public AlertTier withNotify(Notify n) {
        return new AlertTier(name, severity, longWindowMinutes, shortWindowMinutes, budgetShare, burnRate,
                alertAfterMinutes, enabled, op, n);
    }

    /**
     * How urgent the tier's severity is, for choosing an incident's severity: pages above tickets. Severities are
     * free text in OpenSLO; the usual words are ranked, anything else counts as the least urgent.
     */
    public static int urgency(String severity) {
        return switch (severity == null ? "" : severity.toLowerCase(java.util.Locale.ROOT)) {
            case "page", "critical", "sev1", "p1" -> 3;
            case "high", "major", "error", "sev2", "p2" -> 2;
            case "ticket", "warning", "medium", "minor", "sev3", "p3" -> 1;
            default -> 0;
        };
    }
}
