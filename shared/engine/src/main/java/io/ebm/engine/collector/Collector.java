package io.ebm.engine.collector;

import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.port.SliSource;
import io.ebm.core.port.StructuredLog;
import io.ebm.core.slo.Slo;
import io.ebm.core.store.CountsStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Reads good/total counts from an SLI source and upserts them, one minute bucket at a time, into the store.
 *
 * <p>A minute is written only when the source has it: a missing datapoint is no data, never good. One broken
 * series is reported and skipped; the others are written.
 */
public final class Collector {

    private final SliSource source;
    private final CountsStore store;
    private final StructuredLog log;

    public Collector(SliSource source, CountsStore store, StructuredLog log) {
        this.source = source;
        this.store = store;
        this.log = log;
    }

    /** A scheduled run: [now − overlap, now) at one-minute resolution, so that late datapoints are caught. */
    public RunSummary tick(List<Slo> slos, Instant now, Duration overlap) {
        Instant to = Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), 60) * 60);
        return collect(slos, to.minus(overlap), to, 60);
    }

    /** Collects [from, to) at {@code periodSeconds}; a datapoint's counts go to the minute it starts. */
    public RunSummary collect(List<Slo> slos, Instant from, Instant to, int periodSeconds) {
        Writer writer = new Writer(from, to);
        SliSource.Reading reading = source.read(slos, from, to, periodSeconds, writer);
        RunSummary summary = new RunSummary(slos.size(), reading.series(), reading.queries(), reading.calls(),
                reading.datapoints(), writer.minutes, writer.failures);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("from", from.toString());
        fields.put("to", to.toString());
        fields.put("periodSeconds", periodSeconds);
        fields.put("slos", summary.slos());
        fields.put("series", summary.series());
        fields.put("queries", summary.queries());
        fields.put("calls", summary.calls());
        fields.put("datapoints", summary.datapoints());
        fields.put("minutesWritten", summary.minutesWritten());
        fields.put("failed", summary.failures().stream().map(RunSummary.Failure::series).toList());
        log.info("collection run", fields);
        Map<String, Number> metrics = new LinkedHashMap<>();
        metrics.put("Queries", summary.queries());
        metrics.put("GetMetricDataCalls", summary.calls());
        metrics.put("Datapoints", summary.datapoints());
        metrics.put("MinutesWritten", summary.minutesWritten());
        metrics.put("Errors", summary.failures().size());
        log.metrics("ErrorBudgetManager", Map.of("Function", "sli-collector"), metrics, to);
        return summary;
    }

    /** What the source reads goes to the store as it arrives; failures are logged and kept for the summary. */
    private final class Writer implements SliSource.Sink {
        final Instant from;
        final Instant to;
        final List<RunSummary.Failure> failures = new ArrayList<>();
        long minutes;

        Writer(Instant from, Instant to) {
            this.from = from;
            this.to = to;
        }

        @Override
        public void counts(String slo, String series, NavigableMap<Long, MinuteCounts> read, List<String> incomplete) {
            NavigableMap<Long, MinuteCounts> inRange = read.subMap(from.getEpochSecond() / 60, true,
                    to.getEpochSecond() / 60, false);
            if (inRange.isEmpty()) {
                log.warn("no datapoints: recorded as no data", Map.of("slo", slo, "series", series,
                        "from", from.toString(), "to", to.toString()));
                return;
            }
            try {
                store.upsertCounts(series, inRange);
                minutes += inRange.size();
                if (!incomplete.isEmpty()) {
                    log.warn("partial data: minutes the source did not return stay without data",
                            Map.of("slo", slo, "series", series, "queries", incomplete));
                }
            } catch (RuntimeException e) {
                failed(slo, series, "store write failed: " + e.getMessage());
            }
        }

        @Override
        public void failed(String slo, String series, String reason) {
            failures.add(new RunSummary.Failure(slo, series, reason));
            log.error("series skipped", Map.of("slo", slo, "series", series, "reason", reason));
        }
    }
}
