package io.ebm.local.demo;

import io.ebm.core.budget.BudgetSpec;
import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.port.SliSource;
import io.ebm.core.slo.CloudWatchMetric;
import io.ebm.core.slo.Indicator;
import io.ebm.core.slo.MetricSource;
import io.ebm.core.slo.Slo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The CloudWatch metrics the demo fleet's SLIs name, answered from the demo's month: each metric (or metric-math
 * expression) is bound to one role (good, bad or total) of one series, and has one datapoint per minute of the
 * range, none where the series has a gap. The collector reads it as it reads CloudWatch, through the SLI source
 * port; what the AWS adapter adds (query ids, batching, paging) is tested against canned CloudWatch answers.
 *
 * <p>A metric is recognised by its namespace, name, dimensions and statistic, an expression by its text and its
 * inputs' metrics. A metric that two SLIs share (checkout-journey's pay step reads the checkout API's load
 * balancer) has one set of values, the series bound first. Series whose SLI is not on CloudWatch (payments reads
 * Prometheus) are listed by {@link #pushedSeries}: the replay writes them as an exporter would.
 */
public final class SyntheticCloudWatch implements SliSource {

    private record Binding(DemoTraffic.Series series, DemoTraffic.Role role) {
    }

    private final DemoTraffic traffic;
    private final long startMinute;
    private final Map<String, Binding> bindings = new HashMap<>();
    private final Map<String, DemoTraffic.Series> pushed = new LinkedHashMap<>();
    /** By SLO name (the fleet is the one the bindings were made from); the replay's lanes share it. */
    private final Map<String, List<SeriesRead>> plans = new java.util.concurrent.ConcurrentHashMap<>();

    public SyntheticCloudWatch(List<Slo> slos, DemoTraffic traffic, Instant start) {
        this.traffic = traffic;
        this.startMinute = start.getEpochSecond() / 60;
        for (Slo slo : slos) {
            for (BudgetSpec spec : BudgetSpec.of(slo, List.of())) {
                for (int i = 0; i < spec.components().size(); i++) {
                    DemoTraffic.Series series = traffic.series(spec.components().get(i).dataKey());
                    Indicator sli = slo.indicatorOf(spec.objectiveOf(i));
                    if (series == null) {
                        continue;
                    }
                    if (!sli.collectableFromCloudWatch()) {
                        pushed.put(spec.components().get(i).dataKey(), series);
                        continue;
                    }
                    bind(sli.good(), series, "good");
                    bind(sli.bad(), series, "bad");
                    bind(sli.total(), series, "total");
                }
            }
        }
    }

    private void bind(MetricSource source, DemoTraffic.Series series, String role) {
        if (source != null) {
            bindings.putIfAbsent(key(source.cloudWatch()), new Binding(series, DemoTraffic.Role.named(role)));
        }
    }

    /** The series no CloudWatch metric carries, by data key. */
    public Map<String, DemoTraffic.Series> pushedSeries() {
        return Collections.unmodifiableMap(pushed);
    }

    private static String key(CloudWatchMetric cw) {
        if (!cw.isExpression()) {
            return metricKey(cw.namespace(), cw.metricName(), cw.dimensions(), cw.statistic());
        }
        Map<String, String> inputs = new TreeMap<>();
        cw.metrics().forEach(in -> inputs.put(in.id(), metricKey(in.namespace(), in.metricName(), in.dimensions(),
                in.statistic())));
        return "expr|" + cw.expression() + "|" + inputs;
    }

    private static String metricKey(String namespace, String name, Map<String, String> dimensions, String stat) {
        return CloudWatchMetric.metricKey(namespace, name, dimensions, stat);
    }

    /** One series as it is read: its data key and the bound metrics of its numerator and total. */
    private record SeriesRead(String dataKey, boolean numeratorIsGood, Binding numerator, Binding total) {
    }

    /**
     * The series of an SLO, worked out once for the SLOs the collector asks about (it asks about the same ones
     * every tick): the metric keys are strings built from each metric's fields, too dear to build each tick.
     */
    private List<SeriesRead> seriesOf(Slo slo) {
        List<SeriesRead> known = plans.get(slo.name()); // looked up first: the lambda below is allocated per call
        if (known != null) {
            return known;
        }
        return plans.computeIfAbsent(slo.name(), name -> {
            List<SeriesRead> out = new ArrayList<>();
            for (BudgetSpec spec : BudgetSpec.of(slo, List.of())) {
                for (int i = 0; i < spec.components().size(); i++) {
                    Indicator sli = slo.indicatorOf(spec.objectiveOf(i));
                    if (!sli.collectableFromCloudWatch()) {
                        continue;
                    }
                    MetricSource numerator = sli.good() != null ? sli.good() : sli.bad();
                    out.add(new SeriesRead(spec.components().get(i).dataKey(), sli.good() != null,
                            numerator == null ? null : bindings.get(key(numerator.cloudWatch())),
                            sli.total() == null ? null : bindings.get(key(sli.total().cloudWatch()))));
                }
            }
            return List.copyOf(out);
        });
    }

    @Override
    public Reading read(List<Slo> slos, Instant from, Instant to, int periodSeconds, Sink sink) {
        if (periodSeconds != 60) {
            throw new IllegalArgumentException("the demo's metrics have one-minute datapoints only");
        }
        int fromIndex = (int) Math.max(0, from.getEpochSecond() / 60 - startMinute);
        int toIndex = (int) Math.min(traffic.minutes(), to.getEpochSecond() / 60 - startMinute);
        int series = 0;
        long datapoints = 0;
        for (Slo slo : slos) {
            for (SeriesRead r : seriesOf(slo)) {
                series++;
                NavigableMap<Long, MinuteCounts> minutes = new TreeMap<>();
                try {
                    if (r.numerator() != null && r.total() != null) {
                        DemoTraffic.Series numerator = r.numerator().series();
                        DemoTraffic.Series total = r.total().series();
                        for (int m = fromIndex; m < toIndex; m++) {
                            if (numerator.total()[m] < 0 || total.total()[m] < 0) {
                                continue; // a datapoint missing in either metric: no data
                            }
                            long tot = DemoTraffic.value(total, m, r.total().role());
                            long num = DemoTraffic.value(numerator, m, r.numerator().role());
                            long good = r.numeratorIsGood() ? num : tot - num;
                            minutes.put(startMinute + m, MinuteCounts.of(r.dataKey(), startMinute + m, good, tot));
                            datapoints += 2;
                        }
                    }
                } catch (IllegalArgumentException e) {
                    sink.failed(slo.name(), r.dataKey(), "impossible counts, nothing written: " + e.getMessage());
                    continue;
                }
                sink.counts(slo.name(), r.dataKey(), minutes, List.of());
            }
        }
        return new Reading(series, series * 2, 1, datapoints);
    }
}
