package io.ebm.core.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What the newest deployment in force has cost one budget, as a snapshot carries it: the share of the budget
 * spent since it landed, and within each span after landing that a policy rule asks about
 * ({@code deploymentSpent.within}), keyed by the span in minutes.
 */
public record DeploymentSpend(String pipeline, String execution, String revision, String stage, Instant landedAt,
                              double sinceLanding, Map<Long, Double> within) {

    public DeploymentSpend {
        within = Map.copyOf(within);
    }

    public static DeploymentSpend of(Deployment d, double sinceLanding, Map<Long, Double> within) {
        return new DeploymentSpend(d.pipeline(), d.execution(), d.revision(), d.stage(), d.landedAt(), sinceLanding,
                within);
    }

    /** The share spent within {@code span} of landing; null when the span was not computed. */
    public Double spentWithin(Duration span) {
        return within.get(span.toMinutes());
    }

    /** How people name it: {@code checkout-pipeline execution 42 (revision abc123, Production at 12 Nov 14:02 UTC)}. */
    public String describe() {
        return Deployment.describeLanding(pipeline, execution, revision, stage, landedAt);
    }
}
