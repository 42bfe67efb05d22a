package io.ebm.core.alert;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * A burn-rate threshold kept as an exact fraction {@code numerator / denominator}, because derived factors
 * such as 0.1 × 672 h / 72 h = 0.9333… do not terminate, and the Workbook's {@code >} is strict.
 */
public record BurnRateThreshold(BigDecimal numerator, long denominator) {

    public BurnRateThreshold {
        if (denominator <= 0) {
            throw new IllegalArgumentException("denominator must be positive");
        }
    }

    public static BurnRateThreshold of(BigDecimal factor) {
        return new BurnRateThreshold(factor, 1);
    }

    /**
     * True when {@code bad / allowed > numerator / denominator}, compared exactly. {@code allowed} is the error
     * budget of the window, (1 − target) × valid, so {@code bad / allowed} is the window's burn rate.
     */
    public boolean exceededBy(BigDecimal bad, BigDecimal allowed) {
        return bad.multiply(BigDecimal.valueOf(denominator)).compareTo(numerator.multiply(allowed)) > 0;
    }

    public double value() {
        return numerator.divide(BigDecimal.valueOf(denominator), MathContext.DECIMAL64).doubleValue();
    }
}
