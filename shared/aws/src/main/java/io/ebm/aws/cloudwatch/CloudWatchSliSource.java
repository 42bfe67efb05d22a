package io.ebm.aws.cloudwatch;

import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.port.SliSource;
import io.ebm.core.port.StructuredLog;
import io.ebm.core.slo.Slo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MessageData;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StatusCode;

/**
 * The SLI source in AWS: good/total counts from CloudWatch GetMetricData.
 *
 * <p>Queries are packed into GetMetricData calls of at most 500, an SLO's queries always in one call; pages are
 * followed through NextToken. A minute is read only when every query of its series has a datapoint for it: a
 * missing datapoint is no data, never good. A call that fails for one SLO's bad query is asked again one SLO at
 * a time, so that the others are still read.
 */
public final class CloudWatchSliSource implements SliSource {

    /** GetMetricData's limit on queries per request. */
    public static final int MAX_QUERIES_PER_CALL = 500;

    private final MetricDataSource source;
    private final StructuredLog log;

    public CloudWatchSliSource(MetricDataSource source, StructuredLog log) {
        this.source = source;
        this.log = log;
    }

    @Override
    public Reading read(List<Slo> slos, Instant from, Instant to, int periodSeconds, Sink sink) {
        List<SeriesQuery> all = queries(slos, periodSeconds, sink);
        Counters counters = new Counters();
        for (List<SeriesQuery> batch : batches(all, sink)) {
            for (Map.Entry<SeriesQuery, Map<String, Result>> r : fetch(batch, from, to, counters, sink).entrySet()) {
                convert(r.getKey(), r.getValue(), sink);
            }
        }
        int queries = all.stream().mapToInt(s -> s.queries().size()).sum();
        return new Reading(all.size(), queries, counters.calls, counters.datapoints);
    }

    /** The queries of the last SLO list: a collector that ticks over the same list builds them once. */
    private List<Slo> builtFor;
    private int builtPeriod;
    private List<SeriesQuery> built;
    private List<Failure> buildFailures;

    /** A series whose queries cannot be built, found once per SLO list and reported on every read. */
    private record Failure(String slo, String series, String reason) {
    }

    private List<SeriesQuery> queries(List<Slo> slos, int periodSeconds, Sink sink) {
        if (slos != builtFor || periodSeconds != builtPeriod) {
            QueryBuilder builder = new QueryBuilder(periodSeconds);
            List<SeriesQuery> all = new ArrayList<>();
            List<Failure> bad = new ArrayList<>();
            for (Slo slo : slos) {
                try {
                    all.addAll(builder.forSlo(slo));
                } catch (IllegalArgumentException e) {
                    bad.add(new Failure(slo.name(), slo.name(), "bad metric source: " + e.getMessage()));
                }
            }
            builtFor = slos;
            builtPeriod = periodSeconds;
            built = List.copyOf(all);
            buildFailures = List.copyOf(bad);
        }
        buildFailures.forEach(f -> sink.failed(f.slo(), f.series(), f.reason()));
        return built;
    }

    private static final class Counters {
        int calls;
        long datapoints;
    }

    /** Datapoints of one result id, by epoch minute, with its final status and messages. */
    private static final class Result {
        final NavigableMap<Long, Double> values = new TreeMap<>();
        StatusCode status = StatusCode.COMPLETE;
        final List<String> messages = new ArrayList<>();
    }

    private List<List<SeriesQuery>> batches(List<SeriesQuery> all, Sink sink) {
        List<List<SeriesQuery>> out = new ArrayList<>();
        List<SeriesQuery> current = new ArrayList<>();
        int size = 0;
        for (SeriesQuery s : all) {
            int n = s.queries().size();
            if (n > MAX_QUERIES_PER_CALL) {
                sink.failed(s.slo(), s.series(), "needs " + n + " queries, more than the "
                        + MAX_QUERIES_PER_CALL + " one GetMetricData call allows");
                continue;
            }
            if (size + n > MAX_QUERIES_PER_CALL) {
                out.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(s);
            size += n;
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    /** Results by series; series that failed are reported and left out. */
    private Map<SeriesQuery, Map<String, Result>> fetch(List<SeriesQuery> batch, Instant from, Instant to,
                                                       Counters counters, Sink sink) {
        Map<SeriesQuery, Map<String, Result>> out = new LinkedHashMap<>();
        Map<String, Result> byId;
        try {
            byId = call(batch, from, to, counters);
        } catch (CloudWatchException e) {
            boolean throttled = e.isThrottlingException() || "LimitExceeded".equals(errorCode(e));
            if (!throttled && batch.size() > 1 && e.statusCode() == 400) {
                // one SLO's bad query fails the whole call: ask again one SLO at a time to find it
                for (SeriesQuery s : batch) {
                    out.putAll(fetch(List.of(s), from, to, counters, sink));
                }
                return out;
            }
            String reason = throttled
                    ? "throttled after the SDK's retries; the next run reads these minutes again (overlap)"
                    : "GetMetricData failed: " + errorCode(e) + ": " + e.awsErrorDetails().errorMessage();
            batch.forEach(s -> sink.failed(s.slo(), s.series(), reason));
            return out;
        } catch (SdkException e) {
            batch.forEach(s -> sink.failed(s.slo(), s.series(), "GetMetricData failed: " + e.getMessage()));
            return out;
        }
        for (SeriesQuery s : batch) {
            Map<String, Result> mine = new HashMap<>();
            String broken = null;
            for (String id : s.resultIds()) {
                Result r = byId.getOrDefault(id, new Result());
                if (r.status == StatusCode.INTERNAL_ERROR || r.status == StatusCode.FORBIDDEN) {
                    broken = "query " + id + " ended " + r.status + " " + r.messages;
                }
                mine.put(id, r);
            }
            if (broken != null) {
                sink.failed(s.slo(), s.series(), broken);
            } else {
                out.put(s, mine);
            }
        }
        return out;
    }

    private static String errorCode(CloudWatchException e) {
        return e.awsErrorDetails() == null ? "unknown" : e.awsErrorDetails().errorCode();
    }

    private Map<String, Result> call(List<SeriesQuery> batch, Instant from, Instant to, Counters counters) {
        List<MetricDataQuery> queries = new ArrayList<>();
        batch.forEach(s -> queries.addAll(s.queries()));
        Map<String, Result> byId = new HashMap<>();
        String token = null;
        do {
            GetMetricDataRequest request = GetMetricDataRequest.builder().metricDataQueries(queries)
                    .startTime(from).endTime(to).scanBy(ScanBy.TIMESTAMP_ASCENDING).nextToken(token).build();
            GetMetricDataResponse page = source.getMetricData(request);
            counters.calls++;
            for (MetricDataResult r : page.metricDataResults()) {
                Result result = byId.computeIfAbsent(r.id(), id -> new Result());
                for (int i = 0; i < r.timestamps().size() && i < r.values().size(); i++) {
                    result.values.put(Math.floorDiv(r.timestamps().get(i).getEpochSecond(), 60), r.values().get(i));
                    counters.datapoints++;
                }
                if (r.statusCode() != null) {
                    result.status = r.statusCode();
                }
                for (MessageData m : r.messages()) {
                    result.messages.add(m.code() + ": " + m.value());
                }
            }
            for (MessageData m : page.messages()) {
                log.warn("GetMetricData message", Map.of("code", String.valueOf(m.code()), "value", String.valueOf(m.value())));
            }
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return byId;
    }

    /** One series' results as minute counts for the sink; impossible values fail the series, nothing is read. */
    private void convert(SeriesQuery s, Map<String, Result> results, Sink sink) {
        NavigableMap<Long, MinuteCounts> minutes = new TreeMap<>();
        // a datapoint of a coarser period (older ranges of a backfill) stands for every minute it covers
        int span = Math.max(1, builtPeriod / 60);
        try {
            if (s.thresholdId() != null) {
                results.get(s.thresholdId()).values.forEach((minute, v) -> {
                    if (Double.isFinite(v)) {
                        minutes.put(minute, s.threshold().good(v) ? new MinuteCounts(1, 1, span) : new MinuteCounts(0, 1, span));
                    }
                });
            } else {
                NavigableMap<Long, Double> total = results.get(s.totalId()).values;
                NavigableMap<Long, Double> numerator = results.get(s.goodId() != null ? s.goodId() : s.badId()).values;
                for (Map.Entry<Long, Double> t : total.entrySet()) {
                    Double n = numerator.get(t.getKey());
                    if (n == null) {
                        continue; // no datapoint for the numerator: no data, never assumed good
                    }
                    long tot = count(t.getValue(), s, t.getKey(), "total");
                    long num = count(n, s, t.getKey(), s.goodId() != null ? "good" : "bad");
                    long good = s.goodId() != null ? num : tot - num;
                    minutes.put(t.getKey(), MinuteCounts.of(s.series(), t.getKey(), good, tot, span));
                }
            }
        } catch (IllegalArgumentException e) {
            sink.failed(s.slo(), s.series(), "impossible counts, nothing written: " + e.getMessage());
            return;
        }
        List<String> partial = new ArrayList<>();
        results.forEach((id, r) -> {
            if (r.status == StatusCode.PARTIAL_DATA) {
                partial.add(id);
            }
        });
        sink.counts(s.slo(), s.series(), minutes, partial);
    }

    private static long count(double v, SeriesQuery s, long minute, String role) {
        if (!Double.isFinite(v) || v < 0) {
            throw new IllegalArgumentException("series " + s.series() + " at "
                    + Instant.ofEpochSecond(minute * 60) + ": " + role + " is " + v + ", expected a count >= 0");
        }
        return Math.round(v);
    }
}
