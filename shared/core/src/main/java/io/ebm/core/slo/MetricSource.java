package io.ebm.core.slo;

import java.util.Map;

/**
 * Where one metric of an SLI comes from. {@code spec} is kept as written so that any OpenSLO source type is
 * accepted; {@code cloudWatch} is filled in only for {@code type: CloudWatch}, the one this product collects.
 */
public record MetricSource(String type, String sourceRef, Map<String, Object> spec, CloudWatchMetric cloudWatch) {

    public MetricSource {
        spec = spec == null ? Map.of() : Map.copyOf(spec);
    }

    public boolean isCloudWatch() {
        return cloudWatch != null;
    }
}
