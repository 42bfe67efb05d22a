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
                        Comparison op) {

    /** A tier that fires when both windows burn faster than its threshold (the Workbook's {@code >}). */
    public AlertTier(String name, String severity, long longWindowMinutes, long shortWindowMinutes,
                     BigDecimal budgetShare, BigDecimal burnRate, long alertAfterMinutes, boolean enabled) {
        this(name, severity, longWindowMinutes, shortWindowMinutes, budgetShare, burnRate, alertAfterMinutes, enabled,
                Comparison.GT);
    }

    public AlertTier {
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
                alertAfterMinutes, on, op);
    }
}
