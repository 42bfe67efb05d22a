package io.ebm.core.budget;

public enum BudgetStatus {
    HEALTHY,
    /** remaining budget below the configured warning threshold */
    WARNING,
    /** budget exceeded: consumed strictly more than 100% */
    EXHAUSTED,
    /** no event in the SLO window */
    NO_DATA,
    /** fewer events in the SLO window than the configured minimum */
    INSUFFICIENT_TRAFFIC
}
