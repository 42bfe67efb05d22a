package io.ebm.aws.cloudwatch;

import io.ebm.core.budget.BudgetSpec;
import io.ebm.core.slo.CloudWatchMetric;
import io.ebm.core.slo.Indicator;
import io.ebm.core.slo.MetricSource;
import io.ebm.core.slo.Objective;
import io.ebm.core.slo.Slo;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricStat;

/**
 * Turns SLIs into MetricDataQuery lists. Ids must be unique within a GetMetricData call, so every id is
 * prefixed with the series' number, user ids inside metric-math expressions included.
 */
final class QueryBuilder {

    private static final Pattern IDENTIFIER = Pattern.compile("\\b[a-z][a-zA-Z0-9_]*\\b");

    private final int periodSeconds;
    private int next;

    QueryBuilder(int periodSeconds) {
        this.periodSeconds = periodSeconds;
    }

    /** The annotation that switches an SLO's collection off: {@code ebm/enabled: "false"}. */
    static final String ENABLED = "ebm/enabled";

    /** One query set per series of counts the SLO reads, for the series whose SLI is on CloudWatch. */
    List<SeriesQuery> forSlo(Slo slo) {
        List<SeriesQuery> out = new ArrayList<>();
        if ("false".equalsIgnoreCase(slo.annotations().get(ENABLED))) {
            return out;
        }
        for (BudgetSpec spec : BudgetSpec.of(slo, List.of())) {
            for (int i = 0; i < spec.components().size(); i++) {
                BudgetSpec.Component c = spec.components().get(i);
                Objective objective = spec.objectiveOf(i);
                Indicator sli = slo.indicatorOf(objective);
                if (sli.collectableFromCloudWatch()) {
                    out.add(forSeries(slo.name(), c.dataKey(), sli, objective));
                }
            }
        }
        return out;
    }

    SeriesQuery forSeries(String slo, String series, Indicator sli, Objective objective) {
        String prefix = "s" + (next++) + "_";
        List<MetricDataQuery> queries = new ArrayList<>();
        if (sli.kind() == Indicator.Kind.THRESHOLD) {
            String id = add(queries, prefix + "v", sli.threshold());
            return new SeriesQuery(slo, series, queries, null, null, null, id, thresholdTest(objective));
        }
        if (sli.raw() != null) {
            throw new IllegalArgumentException("SLI " + sli.name() + " is a precomputed raw ratio: it has no "
                    + "event counts to collect; give good or bad with total instead");
        }
        String goodId = sli.good() == null ? null : add(queries, prefix + "good", sli.good());
        String badId = sli.bad() == null ? null : add(queries, prefix + "bad", sli.bad());
        String totalId = add(queries, prefix + "total", sli.total());
        return new SeriesQuery(slo, series, queries, goodId, badId, totalId, null, null);
    }

    /** Adds the query (and a math expression's inputs) and returns the id whose values are the result. */
    private String add(List<MetricDataQuery> queries, String id, MetricSource source) {
        CloudWatchMetric cw = source.cloudWatch();
        if (!cw.isExpression()) {
            queries.add(MetricDataQuery.builder().id(id).returnData(true)
                    .metricStat(stat(cw.namespace(), cw.metricName(), cw.dimensions(), cw.statistic())).build());
            return id;
        }
        String expression = cw.expression();
        for (CloudWatchMetric.MathInput in : cw.metrics()) {
            queries.add(MetricDataQuery.builder().id(id + "_" + in.id()).returnData(false)
                    .metricStat(stat(in.namespace(), in.metricName(), in.dimensions(), in.statistic())).build());
        }
        queries.add(MetricDataQuery.builder().id(id).returnData(true).period(periodSeconds)
                .expression(renameInputs(expression, id + "_", cw.metrics())).build());
        return id;
    }

    static String renameInputs(String expression, String prefix, List<CloudWatchMetric.MathInput> inputs) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        inputs.forEach(i -> ids.add(i.id()));
        Matcher m = IDENTIFIER.matcher(expression);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(ids.contains(m.group()) ? prefix + m.group() : m.group()));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private MetricStat stat(String namespace, String metricName, Map<String, String> dimensions, String statistic) {
        List<Dimension> dims = new ArrayList<>();
        dimensions.forEach((k, v) -> dims.add(Dimension.builder().name(k).value(v).build()));
        return MetricStat.builder()
                .metric(Metric.builder().namespace(namespace).metricName(metricName).dimensions(dims).build())
                .period(periodSeconds).stat(statistic).build();
    }

    private static SeriesQuery.ThresholdTest thresholdTest(Objective o) {
        BigDecimal limit = o.value();
        return switch (o.op()) {
            case "lt" -> v -> BigDecimal.valueOf(v).compareTo(limit) < 0;
            case "lte" -> v -> BigDecimal.valueOf(v).compareTo(limit) <= 0;
            case "gt" -> v -> BigDecimal.valueOf(v).compareTo(limit) > 0;
            case "gte" -> v -> BigDecimal.valueOf(v).compareTo(limit) >= 0;
            default -> throw new IllegalArgumentException("unknown op " + o.op());
        };
    }
}
