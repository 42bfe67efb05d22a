package io.ebm.core.slo;

import java.util.List;
import java.util.Map;

/**
 * A CloudWatch query: either one metric with a statistic, or a metric-math {@code expression} over named
 * {@code metrics}. Latency SLIs count good requests with a trimmed-count statistic such as {@code TC(:0.3)}
 * (requests at or under 300 ms) against {@code SampleCount}, or with a percentile-rank {@code PR(:0.3)} in math.
 */
public record CloudWatchMetric(String region, String namespace, String metricName, Map<String, String> dimensions,
                               String statistic, String expression, List<MathInput> metrics) {

    public CloudWatchMetric {
        dimensions = dimensions == null ? Map.of() : Map.copyOf(dimensions);
        metrics = metrics == null ? List.of() : List.copyOf(metrics);
    }

    public boolean isExpression() {
        return expression != null;
    }

    /** One metric named in a math expression by {@code id}. */
    public record MathInput(String id, String namespace, String metricName, Map<String, String> dimensions,
                            String statistic) {
        public MathInput {
            dimensions = dimensions == null ? Map.of() : Map.copyOf(dimensions);
        }
    }
}
