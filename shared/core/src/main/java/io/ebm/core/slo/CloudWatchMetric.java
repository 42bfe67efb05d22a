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

    /** One CloudWatch metric's identity: the same string for every query that reads the same metric. */
    public static String metricKey(String namespace, String name, Map<String, String> dimensions, String stat) {
        return namespace + "|" + name + "|" + new java.util.TreeMap<>(dimensions) + "|" + stat;
    }

    /**
     * The metrics this query reads, by identity, statistic aside: two SLIs sharing one (a load balancer's request
     * count, say) see the same traffic, so their incidents are likely one.
     */
    public List<String> metricsRead() {
        if (!isExpression()) {
            return List.of(metricKey(namespace, metricName, dimensions, ""));
        }
        return metrics.stream().map(m -> metricKey(m.namespace(), m.metricName(), m.dimensions(), "")).toList();
    }

    /** One metric named in a math expression by {@code id}. */
    public record MathInput(String id, String namespace, String metricName, Map<String, String> dimensions,
                            String statistic) {
        public MathInput {
            dimensions = dimensions == null ? Map.of() : Map.copyOf(dimensions);
        }
    }
}
