package io.ebm.core.slo;

import java.math.BigDecimal;

/**
 * One entry of an OpenSLO SLO's {@code objectives}. {@code indicator} is set only when the objective names
 * its own SLI (a component of a composite); {@code compositeWeight} only for composites.
 */
public record Objective(String name, String displayName, BigDecimal target, String op, BigDecimal value,
                        BigDecimal timeSliceTarget, DurationShorthand timeSliceWindow, Indicator indicator,
                        BigDecimal compositeWeight) {
}
