package io.ebm.core.alert;

/**
 * How an alert condition compares a window's burn rate with its threshold: OpenSLO's {@code op}. The Workbook's
 * alerts use {@code gt} (strictly greater), the default.
 */
public enum Comparison {
    GT("gt"), GTE("gte"), LT("lt"), LTE("lte");

    private final String openSlo;

    Comparison(String openSlo) {
        this.openSlo = openSlo;
    }

    public String openSlo() {
        return openSlo;
    }

    /** Whether a comparison's outcome ({@code burn rate} against {@code threshold}: negative, zero, positive) holds. */
    public boolean holds(int sign) {
        return switch (this) {
            case GT -> sign > 0;
            case GTE -> sign >= 0;
            case LT -> sign < 0;
            case LTE -> sign <= 0;
        };
    }

    public static Comparison fromOpenSlo(String op) {
        for (Comparison c : values()) {
            if (c.openSlo.equals(op)) {
                return c;
            }
        }
        return null;
    }
}
