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

    /** The sign of {@code bad / allowed − numerator / denominator}, compared exactly. */
    public int compare(BigDecimal bad, BigDecimal allowed) {
        return Integer.signum(bad.multiply(BigDecimal.valueOf(denominator)).compareTo(numerator.multiply(allowed)));
    }

    public double value() {
        return numerator.divide(BigDecimal.valueOf(denominator), MathContext.DECIMAL64).doubleValue();
    }
}
