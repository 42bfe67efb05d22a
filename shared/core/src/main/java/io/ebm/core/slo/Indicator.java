package io.ebm.core.slo;

/**
 * An SLI. A ratio SLI names good or bad events, and total events (or a precomputed {@code raw} ratio);
 * a threshold SLI is one metric compared against each objective's {@code op value}.
 */
public record Indicator(String name, String displayName, Kind kind, MetricSource good, MetricSource bad,
                        MetricSource total, MetricSource raw, RawType rawType, MetricSource threshold) {

    public enum Kind { RATIO, THRESHOLD }

    public enum RawType { SUCCESS, FAILURE }

    /** True when every metric of this SLI is a CloudWatch source, so the collector can fetch it. */
    public boolean collectableFromCloudWatch() {
        return allCloudWatch(good, bad, total, raw, threshold);
    }

    private static boolean allCloudWatch(MetricSource... sources) {
        boolean any = false;
        for (MetricSource s : sources) {
            if (s != null) {
                if (!s.isCloudWatch()) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }
}
