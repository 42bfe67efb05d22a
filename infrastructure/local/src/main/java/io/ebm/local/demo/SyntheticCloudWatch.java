package io.ebm.local.demo;

import io.ebm.aws.collector.MetricDataSource;
import io.ebm.core.budget.BudgetSpec;
import io.ebm.core.slo.CloudWatchMetric;
import io.ebm.core.slo.Indicator;
import io.ebm.core.slo.MetricSource;
import io.ebm.core.slo.Slo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.MetricStat;
import software.amazon.awssdk.services.cloudwatch.model.StatusCode;

/**
 * GetMetricData answered from the demo's month: each metric (or metric-math expression) the fleet's SLIs name
 * is bound to one role (good, bad or total) of one series, and answered one datapoint per minute of the
 * request, none where the series has a gap. The collector talks to it exactly as to CloudWatch.
 *
 * <p>An expression is recognised by its text and its inputs' metrics, with the ids the collector prefixes them
 * with taken off. A metric that two SLIs share (checkout-journey's pay step reads the checkout API's load
 * balancer) has one set of values, the series bound first. Series whose SLI is not on CloudWatch (payments
 * reads Prometheus) are listed by {@link #pushedSeries}: the replay writes them as an exporter would.
 */
public final class SyntheticCloudWatch implements MetricDataSource {

    private record Binding(DemoTraffic.Series series, String role) {
    }

    private final DemoTraffic traffic;
    private final long startMinute;
    /** Each minute's timestamp, made once: a month of datapoints would otherwise make millions. */
    private final Instant[] minutes;
    /** The collector sends the same query objects every tick: each is looked up once (lanes share this map). */
    private final Map<MetricDataQuery, Binding> byQuery =
            java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());
    private final Map<String, Binding> bindings = new HashMap<>();
    private final Map<String, DemoTraffic.Series> pushed = new java.util.LinkedHashMap<>();

    public SyntheticCloudWatch(List<Slo> slos, DemoTraffic traffic, Instant start) {
        this.traffic = traffic;
        this.startMinute = start.getEpochSecond() / 60;
        this.minutes = new Instant[traffic.minutes()];
        for (int m = 0; m < minutes.length; m++) {
            minutes[m] = Instant.ofEpochSecond((startMinute + m) * 60);
        }
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
        if (source == null) {
            return;
        }
        CloudWatchMetric cw = source.cloudWatch();
        String key;
        if (cw.isExpression()) {
            Map<String, String> inputs = new TreeMap<>();
            cw.metrics().forEach(in -> inputs.put(in.id(), metricKey(in.namespace(), in.metricName(), in.dimensions(),
                    in.statistic())));
            key = expressionKey(cw.expression(), inputs);
        } else {
            key = metricKey(cw.namespace(), cw.metricName(), cw.dimensions(), cw.statistic());
        }
        bindings.putIfAbsent(key, new Binding(series, role));
    }

    /** The series no CloudWatch query reads, by data key. */
    public Map<String, DemoTraffic.Series> pushedSeries() {
        return java.util.Collections.unmodifiableMap(pushed);
    }

    private static String metricKey(String namespace, String name, Map<String, String> dimensions, String stat) {
        return namespace + "|" + name + "|" + new TreeMap<>(dimensions) + "|" + stat;
    }

    private static String expressionKey(String expression, Map<String, String> inputsById) {
        return "expr|" + expression + "|" + inputsById;
    }

    private static String key(MetricStat stat) {
        Map<String, String> dims = new TreeMap<>();
        for (Dimension d : stat.metric().dimensions()) {
            dims.put(d.name(), d.value());
        }
        return metricKey(stat.metric().namespace(), stat.metric().metricName(), dims, stat.stat());
    }

    @Override
    public GetMetricDataResponse getMetricData(GetMetricDataRequest request) {
        Map<String, MetricDataQuery> byId = new HashMap<>();
        request.metricDataQueries().forEach(q -> byId.put(q.id(), q));
        int from = (int) (request.startTime().getEpochSecond() / 60 - startMinute);
        int to = (int) (request.endTime().getEpochSecond() / 60 - startMinute);
        List<MetricDataResult> results = new ArrayList<>();
        for (MetricDataQuery q : request.metricDataQueries()) {
            if (Boolean.FALSE.equals(q.returnData())) {
                continue;
            }
            Binding b = byQuery.computeIfAbsent(q, query -> bindings.get(query.expression() != null
                    ? expressionKey(query, byId) : key(query.metricStat())));
            List<Instant> timestamps = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (int m = Math.max(0, from); b != null && m < Math.min(to, traffic.minutes()); m++) {
                if (b.series().total()[m] >= 0) {
                    timestamps.add(minutes[m]);
                    values.add((double) DemoTraffic.value(b.series(), m, b.role()));
                }
            }
            results.add(MetricDataResult.builder().id(q.id()).timestamps(timestamps).values(values)
                    .statusCode(StatusCode.COMPLETE).build());
        }
        return GetMetricDataResponse.builder().metricDataResults(results).build();
    }

    /** The key of an expression query: the collector prefixes its inputs' ids with the query's id and "_". */
    private static String expressionKey(MetricDataQuery q, Map<String, MetricDataQuery> byId) {
        String prefix = q.id() + "_";
        Map<String, String> inputs = new TreeMap<>();
        byId.forEach((id, input) -> {
            if (id.startsWith(prefix) && input.metricStat() != null) {
                inputs.put(id.substring(prefix.length()), key(input.metricStat()));
            }
        });
        return expressionKey(q.expression().replace(prefix, ""), inputs);
    }
}
