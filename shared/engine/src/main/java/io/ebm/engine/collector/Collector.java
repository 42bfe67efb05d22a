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
 *
 * <p>Nothing collected is lost to a failed or skipped run: a scheduled {@link #tick} reads from where the last
 * complete run ended (when runs were skipped) and each series that failed from the first minute it missed,
 * both bounded by the catch-up limit. The store keeps that progress as marks.
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

    /** Where the last complete scheduled run ended, as an epoch minute. */
    static final String THROUGH = "collector/through";
    /** The first minute a series missed, for series whose last read failed. */
    static final String GAP = "collector/gap/";

    /** A scheduled run with the default catch-up limit of a day. */
    public RunSummary tick(List<Slo> slos, Instant now, Duration overlap) {
        return tick(slos, now, overlap, Duration.ofDays(1));
    }

    /**
     * A scheduled run: [now − overlap, now) at one-minute resolution, so that late datapoints are caught; from
     * further back for what earlier runs missed (skipped runs, failed series), at most {@code catchUp} back.
     */
    public RunSummary tick(List<Slo> slos, Instant now, Duration overlap, Duration catchUp) {
        long to = Math.floorDiv(now.getEpochSecond(), 60);
        long oldest = to - catchUp.toMinutes();
        Map<String, Long> marks = store.marks("collector/");
        long usual = to - overlap.toMinutes();
        Long through = marks.get(THROUGH);
        List<RunSummary.Failure> lost = new ArrayList<>();
        if (through != null && through < usual) {
            usual = Math.max(through, oldest); // runs were skipped: read from where the last one ended
            if (through < oldest) {
                lost.add(new RunSummary.Failure("*", "*", "no complete run since " + Instant.ofEpochSecond(through * 60)
                        + "; minutes before " + Instant.ofEpochSecond(oldest * 60) + " are beyond the catch-up limit ("
                        + catchUp.toHours() + " h): backfill them"));
            }
        }
        // each SLO from the earliest minute one of its series is owed; SLOs owed the same range share a read
        Map<Long, List<Slo>> byFrom = new java.util.TreeMap<>();
        Map<Slo, List<String>> seriesBySlo = new java.util.IdentityHashMap<>();
        for (Slo slo : slos) {
            long from = usual;
            for (String series : seriesBySlo.computeIfAbsent(slo, Collector::seriesOf)) {
                Long gap = marks.get(GAP + series);
                if (gap != null && gap < from) {
                    if (gap < oldest) {
                        lost.add(new RunSummary.Failure(slo.name(), series, "missed since "
                                + Instant.ofEpochSecond(gap * 60) + ", beyond the catch-up limit: backfill it"));
                    }
                    from = Math.max(gap, oldest);
                }
            }
            byFrom.computeIfAbsent(from, f -> new ArrayList<>()).add(slo);
        }
        List<RunSummary> runs = new ArrayList<>();
        for (Map.Entry<Long, List<Slo>> group : byFrom.entrySet()) {
            RunSummary run = collect(group.getValue(), Instant.ofEpochSecond(group.getKey() * 60),
                    Instant.ofEpochSecond(to * 60), 60);
            runs.add(run);
            java.util.Set<String> failed = new java.util.HashSet<>();
            run.failures().forEach(f -> failed.add(f.series()));
            for (Slo slo : group.getValue()) {
                for (String series : seriesBySlo.get(slo)) {
                    Long gap = marks.get(GAP + series);
                    if (failed.contains(series) || failed.contains(slo.name())) {
                        if (gap == null || gap > group.getKey()) {
                            store.putMark(GAP + series, group.getKey());
                        }
                    } else if (gap != null) {
                        store.clearMark(GAP + series);
                    }
                }
            }
        }
        store.putMark(THROUGH, to);
        lost.forEach(f -> log.error("minutes lost", Map.of("slo", f.slo(), "series", f.series(), "reason", f.reason())));
        return RunSummary.sum(slos.size(), runs, lost);
    }

    /** The series an SLO's counts are filed under: its name, or {@code slo/objective} per composite component. */
    private static List<String> seriesOf(Slo slo) {
        List<String> out = new ArrayList<>();
        for (io.ebm.core.budget.BudgetSpec spec : io.ebm.core.budget.BudgetSpec.of(slo, List.of())) {
            spec.components().forEach(c -> out.add(c.dataKey()));
        }
        return out;
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
            long fromMinute = from.getEpochSecond() / 60;
            long toMinute = to.getEpochSecond() / 60;
            // the usual read holds only the range asked for: the map itself, not a view that navigates per minute
            NavigableMap<Long, MinuteCounts> inRange = !read.isEmpty() && read.firstKey() >= fromMinute
                    && read.lastKey() < toMinute ? read : read.subMap(fromMinute, true, toMinute, false);
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
