package io.ebm.aws.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.openslo.OpenSloLoader;
import io.ebm.core.port.StructuredLog;
import io.ebm.core.slo.Slo;
import io.ebm.core.store.CountsStore;
import io.ebm.engine.collector.Collector;
import io.ebm.engine.collector.RunSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricStat;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StatusCode;

class CollectorTest {

    /** The engine's collector over the CloudWatch source, both logging to {@code log}. */
    static Collector collector(MetricDataSource cloudWatch, CountsStore store, StructuredLog log) {
        return new Collector(new CloudWatchSliSource(cloudWatch, log), store, log);
    }

    static final Instant NOW = Instant.parse("2026-11-20T10:00:30Z");
    static final long NOW_MIN = NOW.getEpochSecond() / 60;
    static final List<Slo> SAMPLES = OpenSloLoader.load(Path.of("../../events/slos")).slos();

    /** Counts written, by series, in memory. */
    static final class MemoryCounts implements CountsStore {
        final Map<String, NavigableMap<Long, MinuteCounts>> series = new HashMap<>();
        int upserts;
        RuntimeException failWith;

        @Override
        public void upsertCounts(String s, NavigableMap<Long, MinuteCounts> minutes) {
            if (failWith != null) {
                throw failWith;
            }
            upserts++;
            series.computeIfAbsent(s, k -> new TreeMap<>()).putAll(minutes);
        }

        @Override
        public void forEachCount(String s, long from, long to, MinuteSink sink) {
            series.getOrDefault(s, new TreeMap<>()).subMap(from, to).forEach(sink::minute);
        }

        final TreeMap<String, Long> marks = new TreeMap<>();

        @Override
        public Map<String, Long> marks(String prefix) {
            return new TreeMap<>(marks.subMap(prefix, prefix + "\uffff"));
        }

        @Override
        public void putMark(String key, long value) {
            marks.put(key, value);
        }

        @Override
        public void clearMark(String key) {
            marks.remove(key);
        }
    }

    static final class Lines implements StructuredLog {
        final List<Map<String, Object>> lines = new ArrayList<>();

        @Override
        public void write(Map<String, Object> line) {
            lines.add(line);
        }

        List<Map<String, Object>> at(String level) {
            return lines.stream().filter(l -> level.equals(l.get("level"))).toList();
        }
    }

    static Slo sample(String name) {
        return SAMPLES.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    /** 1,000 requests a minute, 2 of them errors, whatever the metric; the good-count metrics answer 998. */
    static Function<MetricDataQuery, Function<Long, Double>> steady() {
        return q -> {
            String name = q.metricStat() != null ? q.metricStat().metric().metricName() : q.expression();
            if (name.contains("5XX") || name.contains("Errors")) {
                return m -> 2.0;
            }
            if (name.startsWith("s") && name.contains(" - ")) { // the browse expression: total - errors
                return m -> 998.0;
            }
            if (q.metricStat() != null && q.metricStat().stat().startsWith("TC")) {
                return m -> 990.0;
            }
            return m -> 1000.0;
        };
    }

    @Test
    void aRatioSloBecomesTwoExactQueriesOverTheOverlap() {
        CannedCloudWatch cw = new CannedCloudWatch(steady());
        MemoryCounts store = new MemoryCounts();
        RunSummary run = CollectorTest.collector(cw, store, new Lines()).tick(List.of(sample("api-availability")), NOW,
                Duration.ofMinutes(10));
        assertThat(cw.requests).hasSize(1);
        GetMetricDataRequest r = cw.requests.get(0);
        Metric bad = Metric.builder().namespace("AWS/ApplicationELB").metricName("HTTPCode_Target_5XX_Count")
                .dimensions(Dimension.builder().name("LoadBalancer").value("app/checkout-prod/50dc6c495c0c9188").build())
                .build();
        Metric total = bad.toBuilder().metricName("RequestCount").build();
        assertThat(r.metricDataQueries()).containsExactly(
                MetricDataQuery.builder().id("s0_bad").returnData(true)
                        .metricStat(MetricStat.builder().metric(bad).period(60).stat("Sum").build()).build(),
                MetricDataQuery.builder().id("s0_total").returnData(true)
                        .metricStat(MetricStat.builder().metric(total).period(60).stat("Sum").build()).build());
        assertThat(r.startTime()).isEqualTo(Instant.parse("2026-11-20T09:50:00Z"));
        assertThat(r.endTime()).isEqualTo(Instant.parse("2026-11-20T10:00:00Z"));
        assertThat(r.scanBy()).isEqualTo(ScanBy.TIMESTAMP_ASCENDING);
        NavigableMap<Long, MinuteCounts> written = store.series.get("api-availability");
        assertThat(written).hasSize(10);
        assertThat(written.firstKey()).isEqualTo(NOW_MIN - 10);
        assertThat(written.get(NOW_MIN - 1)).isEqualTo(new MinuteCounts(998, 1000));
        assertThat(run.minutesWritten()).isEqualTo(10);
        assertThat(run.failures()).isEmpty();
    }

    @Test
    void latencyCountsGoodRequestsWithATrimmedCount() {
        CannedCloudWatch cw = new CannedCloudWatch(steady());
        MemoryCounts store = new MemoryCounts();
        CollectorTest.collector(cw, store, new Lines()).tick(List.of(sample("api-latency")), NOW, Duration.ofMinutes(5));
        List<MetricDataQuery> q = cw.requests.get(0).metricDataQueries();
        assertThat(q).extracting(x -> x.metricStat().stat()).containsExactly("TC(:0.3)", "SampleCount");
        assertThat(q.get(0).metricStat().metric().dimensions())
                .containsExactly(Dimension.builder().name("Operation").value("PlaceOrder").build());
        assertThat(store.series.get("api-latency").get(NOW_MIN - 1)).isEqualTo(new MinuteCounts(990, 1000));
    }

    @Test
    void metricMathInputsAreRenamedSoIdsStayUniqueAcrossSlos() {
        CannedCloudWatch cw = new CannedCloudWatch(steady());
        MemoryCounts store = new MemoryCounts();
        CollectorTest.collector(cw, store, new Lines()).tick(List.of(sample("checkout-journey")), NOW, Duration.ofMinutes(3));
        List<MetricDataQuery> q = cw.requests.get(0).metricDataQueries();
        assertThat(q).extracting(MetricDataQuery::id).containsExactly("s0_good_total", "s0_good_errors", "s0_good",
                "s0_total", "s1_bad", "s1_total");
        assertThat(q.get(0).returnData()).isFalse();
        assertThat(q.get(2).expression()).isEqualTo("s0_good_total - s0_good_errors");
        assertThat(q.get(2).period()).isEqualTo(60);
        assertThat(store.series).containsOnlyKeys("checkout-journey/browse", "checkout-journey/pay");
        assertThat(store.series.get("checkout-journey/browse").get(NOW_MIN - 1)).isEqualTo(new MinuteCounts(998, 1000));
    }

    @Test
    void sourcesThatAreNotCloudWatchAreLeftToExportedData() {
        CannedCloudWatch cw = new CannedCloudWatch(steady());
        RunSummary run = CollectorTest.collector(cw, new MemoryCounts(), new Lines())
                .tick(List.of(sample("payments-monthly")), NOW, Duration.ofMinutes(10));
        assertThat(cw.requests).isEmpty();
        assertThat(run.series()).isZero();
        assertThat(run.failures()).isEmpty();
    }

    @Test
    void anSloSwitchedOffByItsAnnotationIsNotCollected() {
        Slo api = sample("api-availability");
        Slo off = new Slo(api.name(), api.displayName(), api.description(), api.service(), api.indicator(), api.window(),
                api.budgetingMethod(), api.objectives(), api.alertTiers(), api.alertWhenNoData(),
                Map.of("ebm/enabled", "false"), api.sourceFile());
        CannedCloudWatch cw = new CannedCloudWatch(steady());
        RunSummary run = CollectorTest.collector(cw, new MemoryCounts(), new Lines()).tick(List.of(off, sample("api-latency")),
                NOW, Duration.ofMinutes(10));
        assertThat(run.series()).isEqualTo(1);
        assertThat(cw.requests.get(0).metricDataQueries()).extracting(MetricDataQuery::id)
                .containsExactly("s0_good", "s0_total");
    }

    @Test
    void callsHoldAtMost500QueriesAndNeverSplitAnSlo() {
        List<Slo> many = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            many.add(sample("api-availability"));
        }
        CannedCloudWatch cw = new CannedCloudWatch(steady());
        MemoryCounts store = new MemoryCounts();
        RunSummary run = CollectorTest.collector(cw, store, new Lines()).tick(many, NOW, Duration.ofMinutes(2));
        assertThat(cw.requests).extracting(r -> r.metricDataQueries().size()).containsExactly(500, 100);
        assertThat(run.queries()).isEqualTo(600);
        assertThat(run.calls()).isEqualTo(2);
        assertThat(run.series()).isEqualTo(300);
    }

    @Test
    void pagesAreFollowedThroughNextToken() {
        CannedCloudWatch cw = new CannedCloudWatch(steady()).pageSize(4);
        MemoryCounts store = new MemoryCounts();
        RunSummary run = CollectorTest.collector(cw, store, new Lines()).tick(List.of(sample("api-availability")), NOW,
                Duration.ofMinutes(10));
        assertThat(cw.requests).extracting(GetMetricDataRequest::nextToken).containsExactly(null, "1", "2");
        assertThat(run.calls()).isEqualTo(3);
        assertThat(run.datapoints()).isEqualTo(20);
        assertThat(store.series.get("api-availability")).hasSize(10);
    }

    @Test
    void aMissingNumeratorDatapointIsNoDataNeverGood() {
        CannedCloudWatch cw = new CannedCloudWatch(q -> q.metricStat().metric().metricName().contains("5XX")
                ? (m -> m % 2 == 0 ? 3.0 : null) : (m -> 100.0));
        MemoryCounts store = new MemoryCounts();
        CollectorTest.collector(cw, store, new Lines()).tick(List.of(sample("api-availability")), NOW, Duration.ofMinutes(10));
        NavigableMap<Long, MinuteCounts> written = store.series.get("api-availability");
        assertThat(written).hasSize(5);
        assertThat(written.keySet()).allMatch(m -> m % 2 == 0);
        assertThat(written.values()).containsOnly(new MinuteCounts(97, 100));
    }

    @Test
    void anSloWhoseMetricsReturnNothingIsLoggedAndWritesNothing() {
        CannedCloudWatch cw = new CannedCloudWatch(q -> m -> null);
        MemoryCounts store = new MemoryCounts();
        Lines log = new Lines();
        RunSummary run = CollectorTest.collector(cw, store, log).tick(List.of(sample("api-availability")), NOW,
                Duration.ofMinutes(10));
        assertThat(store.upserts).isZero();
        assertThat(run.failures()).isEmpty();
        assertThat(log.at("WARN")).singleElement().satisfies(l -> {
            assertThat(l.get("message")).isEqualTo("no datapoints: recorded as no data");
            assertThat(l.get("series")).isEqualTo("api-availability");
        });
    }

    @Test
    void anInternalErrorSkipsOnlyItsSlo() {
        CannedCloudWatch cw = new CannedCloudWatch(steady()).status("s1_total", StatusCode.INTERNAL_ERROR);
        MemoryCounts store = new MemoryCounts();
        Lines log = new Lines();
        RunSummary run = CollectorTest.collector(cw, store, log).tick(List.of(sample("api-availability"), sample("api-latency"),
                sample("search-timeslices")), NOW, Duration.ofMinutes(10));
        assertThat(store.series).containsOnlyKeys("api-availability", "search-timeslices");
        assertThat(run.failures()).singleElement().satisfies(f -> {
            assertThat(f.series()).isEqualTo("api-latency");
            assertThat(f.reason()).contains("s1_total ended InternalError");
        });
        assertThat(log.at("ERROR")).singleElement().satisfies(l -> assertThat(l.get("slo")).isEqualTo("api-latency"));
    }

    @Test
    void aThrottledCallIsReportedAndTheNextRunCatchesUp() {
        CannedCloudWatch cw = new CannedCloudWatch(steady())
                .failNext(CannedCloudWatch.error(400, "Throttling", "Rate exceeded"));
        MemoryCounts store = new MemoryCounts();
        Lines log = new Lines();
        Collector collector = CollectorTest.collector(cw, store, log);
        RunSummary first = collector.tick(List.of(sample("api-availability")), NOW, Duration.ofMinutes(10));
        assertThat(first.failures()).singleElement()
                .satisfies(f -> assertThat(f.reason()).startsWith("throttled after the SDK's retries"));
        assertThat(store.upserts).isZero();
        RunSummary next = collector.tick(List.of(sample("api-availability")), NOW.plusSeconds(60), Duration.ofMinutes(10));
        assertThat(next.failures()).isEmpty();
        // the next run reads the series from the first minute the failed run missed, whatever the overlap
        assertThat(store.series.get("api-availability")).containsOnlyKeys(
                java.util.stream.LongStream.range(NOW_MIN - 10, NOW_MIN + 1).boxed().toList());
        assertThat(store.marks).doesNotContainKey("collector/gap/api-availability");
    }

    @Test
    void aBadQueryFailingTheWholeCallIsFoundByAskingAgainOneSloAtATime() {
        CannedCloudWatch cw = new CannedCloudWatch(steady())
                .failNext(CannedCloudWatch.error(400, "InvalidParameterValue", "The expression is invalid"),
                        CannedCloudWatch.error(400, "InvalidParameterValue", "The expression is invalid"));
        MemoryCounts store = new MemoryCounts();
        RunSummary run = CollectorTest.collector(cw, store, new Lines()).tick(List.of(sample("checkout-journey"),
                sample("api-availability")), NOW, Duration.ofMinutes(5));
        // whole call fails, then browse alone fails, then pay and api-availability succeed alone
        assertThat(cw.requests).hasSize(4);
        assertThat(run.failures()).singleElement().satisfies(f -> {
            assertThat(f.series()).isEqualTo("checkout-journey/browse");
            assertThat(f.reason()).contains("InvalidParameterValue: The expression is invalid");
        });
        assertThat(store.series).containsOnlyKeys("checkout-journey/pay", "api-availability");
    }

    @Test
    void impossibleCountsWriteNothingForThatSlo() {
        CannedCloudWatch cw = new CannedCloudWatch(q -> q.metricStat().metric().metricName().contains("5XX")
                ? (m -> 5.0) : (m -> m == NOW_MIN - 3 ? 4.0 : 100.0));
        MemoryCounts store = new MemoryCounts();
        RunSummary run = CollectorTest.collector(cw, store, new Lines()).tick(List.of(sample("api-availability")), NOW,
                Duration.ofMinutes(10));
        assertThat(store.upserts).isZero();
        assertThat(run.failures()).singleElement().satisfies(f -> assertThat(f.reason())
                .contains("impossible counts").contains("2026-11-20T09:57:00Z").contains("(good -1, total 4)")
                .doesNotContain("null"));
    }

    @Test
    void aMalformedOrOversizedSourceIsReportedAndTheOthersAreCollected() {
        String raw = """
                apiVersion: openslo/v1
                kind: SLO
                metadata: {name: raw-ratio}
                spec:
                  service: s
                  indicator:
                    metadata: {name: raw}
                    spec:
                      ratioMetric:
                        rawType: success
                        raw:
                          metricSource: {type: CloudWatch, spec: {namespace: A, metricName: Ratio, stat: Average}}
                  budgetingMethod: Occurrences
                  objectives: [{target: 0.99}]
                """;
        StringBuilder inputs = new StringBuilder();
        for (int i = 0; i < 501; i++) {
            inputs.append("                    - {id: m").append(i).append(", namespace: A, metricName: M").append(i)
                    .append(", stat: Sum}\n");
        }
        String huge = """
                apiVersion: openslo/v1
                kind: SLO
                metadata: {name: huge}
                spec:
                  service: s
                  indicator:
                    metadata: {name: huge-sli}
                    spec:
                      ratioMetric:
                        good:
                          metricSource:
                            type: CloudWatch
                            spec:
                              expression: m0
                              metrics:
                """ + inputs + """
                        total:
                          metricSource: {type: CloudWatch, spec: {namespace: A, metricName: T, stat: Sum}}
                  budgetingMethod: Occurrences
                  objectives: [{target: 0.99}]
                """;
        List<Slo> slos = new ArrayList<>(OpenSloLoader.loadTexts(Map.of("raw.yaml", raw, "huge.yaml", huge)).slos());
        slos.add(sample("api-availability"));
        CannedCloudWatch cw = new CannedCloudWatch(steady());
        MemoryCounts store = new MemoryCounts();
        Lines log = new Lines();
        RunSummary run = CollectorTest.collector(cw, store, log).tick(slos, NOW, Duration.ofMinutes(10));
        assertThat(run.failures()).extracting(RunSummary.Failure::series).containsExactlyInAnyOrder("raw-ratio", "huge");
        assertThat(run.failures()).anySatisfy(f -> assertThat(f.reason()).contains("precomputed raw ratio"));
        assertThat(run.failures()).anySatisfy(f -> assertThat(f.reason()).contains("needs 503 queries, more than the 500"));
        assertThat(store.series).containsOnlyKeys("api-availability");
        assertThat(log.at("ERROR")).hasSize(2);
    }

    @Test
    void aStoreFailureIsReportedAndLosesNothingTheNextRunCannotReadAgain() {
        CannedCloudWatch cw = new CannedCloudWatch(steady());
        MemoryCounts store = new MemoryCounts();
        store.failWith = new IllegalStateException("DynamoDB unavailable");
        Collector collector = CollectorTest.collector(cw, store, new Lines());
        RunSummary run = collector.tick(List.of(sample("api-availability")), NOW, Duration.ofMinutes(10));
        assertThat(run.failures()).singleElement().satisfies(f -> assertThat(f.reason())
                .isEqualTo("store write failed: DynamoDB unavailable"));
        store.failWith = null;
        collector.tick(List.of(sample("api-availability")), NOW, Duration.ofMinutes(10));
        assertThat(store.series.get("api-availability")).hasSize(10);
    }

    @Test
    void eachRunLogsOneSummaryLineAndItsMetricsInEmbeddedMetricFormat() {
        Lines log = new Lines();
        CollectorTest.collector(new CannedCloudWatch(steady()), new MemoryCounts(), log)
                .tick(List.of(sample("api-availability"), sample("api-latency")), NOW, Duration.ofMinutes(10));
        assertThat(log.at("INFO")).singleElement().satisfies(l -> {
            assertThat(l.get("message")).isEqualTo("collection run");
            assertThat(l.get("queries")).isEqualTo(4);
            assertThat(l.get("calls")).isEqualTo(1);
            assertThat(l.get("datapoints")).isEqualTo(40L);
            assertThat(l.get("minutesWritten")).isEqualTo(20L);
        });
        Map<String, Object> emf = log.lines.get(log.lines.size() - 1);
        assertThat(emf).containsKey("_aws").containsEntry("Function", "sli-collector").containsEntry("Queries", 4)
                .containsEntry("Errors", 0);
        @SuppressWarnings("unchecked")
        Map<String, Object> aws = (Map<String, Object>) emf.get("_aws");
        assertThat(aws.get("Timestamp")).isEqualTo(Instant.parse("2026-11-20T10:00:00Z").toEpochMilli());
    }

    @Test
    void aThresholdSliCountsOneEventPerMinute() {
        String yaml = """
                apiVersion: openslo/v1
                kind: SLO
                metadata: {name: p99-latency}
                spec:
                  service: s
                  indicator:
                    metadata: {name: p99}
                    spec:
                      thresholdMetric:
                        metricSource: {type: CloudWatch, spec: {namespace: A, metricName: Latency, stat: p99}}
                  budgetingMethod: Timeslices
                  objectives: [{target: 0.99, op: lte, value: 0.5, timeSliceTarget: 1, timeSliceWindow: 1m}]
                """;
        Slo slo = OpenSloLoader.loadTexts(Map.of("t.yaml", yaml)).slos().get(0);
        MemoryCounts store = new MemoryCounts();
        CollectorTest.collector(new CannedCloudWatch(q -> m -> m % 3 == 0 ? 0.7 : 0.5), store, new Lines())
                .tick(List.of(slo), NOW, Duration.ofMinutes(9));
        NavigableMap<Long, MinuteCounts> w = store.series.get("p99-latency");
        assertThat(w).hasSize(9);
        assertThat(w.values().stream().mapToLong(MinuteCounts::good).sum()).isEqualTo(6);
        assertThat(w.values().stream().mapToLong(MinuteCounts::total).sum()).isEqualTo(9);
    }
}
