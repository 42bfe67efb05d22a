package io.ebm.core.slo;

public enum BudgetingMethod {
    /** good events / all events: impact weighted by traffic. */
    OCCURRENCES("Occurrences"),
    /** good slices / all slices, a slice being good when its ratio is at least timeSliceTarget. */
    TIMESLICES("Timeslices"),
    /** the average of the slices' own ratios. */
    RATIO_TIMESLICES("RatioTimeslices");

    private final String openSloName;

    BudgetingMethod(String openSloName) {
        this.openSloName = openSloName;
    }

    public String openSloName() {
        return openSloName;
    }

    public boolean isSliced() {
        return this != OCCURRENCES;
    }

    public static BudgetingMethod fromOpenSlo(String name) {
        for (BudgetingMethod m : values()) {
            if (m.openSloName.equals(name)) {
                return m;
            }
        }
        return null;
    }
}
