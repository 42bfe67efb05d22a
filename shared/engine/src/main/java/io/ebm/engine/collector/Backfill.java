package io.ebm.engine.collector;

import io.ebm.core.slo.Slo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Collects a past range for a new SLO with the collector's own code, one day per step. CloudWatch keeps
 * one-minute data for 15 days, five-minute data for 63 days and one-hour data for 455 days: each step asks for
 * the finest period still kept for its age, and a coarser datapoint's counts go to the minute it starts.
 */
public final class Backfill {

    static final Duration ONE_MINUTE_RETENTION = Duration.ofDays(15);
    static final Duration FIVE_MINUTE_RETENTION = Duration.ofDays(63);
    static final Duration ONE_HOUR_RETENTION = Duration.ofDays(455);

    /** One GetMetricData range at one period. */
    public record Step(Instant from, Instant to, int periodSeconds) {
    }

    private final Collector collector;

    public Backfill(Collector collector) {
        this.collector = collector;
    }

    /** The steps for [from, to) as seen at {@code now}; a range CloudWatch no longer holds is refused. */
    public static List<Step> plan(Instant from, Instant to, Instant now) {
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("backfill: --to " + to + " must be after --from " + from);
        }
        if (to.isAfter(now)) {
            throw new IllegalArgumentException("backfill: --to " + to + " is in the future (now " + now + ")");
        }
        Instant oldest = now.minus(ONE_HOUR_RETENTION);
        if (from.isBefore(oldest)) {
            throw new IllegalArgumentException("backfill: --from " + from + " is older than CloudWatch keeps "
                    + "data (455 days, so nothing before " + oldest + ")");
        }
        List<Instant> cuts = new ArrayList<>(List.of(now.minus(FIVE_MINUTE_RETENTION), now.minus(ONE_MINUTE_RETENTION)));
        List<Step> steps = new ArrayList<>();
        Instant cursor = from;
        while (cursor.isBefore(to)) {
            Instant end = cursor.plus(Duration.ofDays(1));
            for (Instant cut : cuts) {
                if (cursor.isBefore(cut) && end.isAfter(cut)) {
                    end = cut; // never mix two periods in one step
                }
            }
            if (end.isAfter(to)) {
                end = to;
            }
            int period = !cursor.isBefore(now.minus(ONE_MINUTE_RETENTION)) ? 60
                    : !cursor.isBefore(now.minus(FIVE_MINUTE_RETENTION)) ? 300 : 3600;
            steps.add(new Step(align(cursor, period, false), align(end, period, true), period));
            cursor = end;
        }
        return steps;
    }

    private static Instant align(Instant t, int period, boolean up) {
        long s = t.getEpochSecond();
        long down = Math.floorDiv(s, period) * period;
        return Instant.ofEpochSecond(up && down < s ? down + period : down);
    }

    /** Runs every step, reporting each on {@code progress}; returns the totals. */
    public RunSummary run(List<Slo> slos, Instant from, Instant to, Instant now, Consumer<String> progress) {
        List<Step> steps = plan(from, to, now);
        int calls = 0;
        long datapoints = 0;
        long minutes = 0;
        int series = 0;
        int queries = 0;
        List<RunSummary.Failure> failures = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            RunSummary r = collector.collect(slos, s.from(), s.to(), s.periodSeconds());
            calls += r.calls();
            datapoints += r.datapoints();
            minutes += r.minutesWritten();
            series = r.series();
            queries = r.queries();
            failures.addAll(r.failures());
            progress.accept(String.format("backfill %d/%d  %s .. %s  period %ds  %d minutes written, %d failed  (%d%%)",
                    i + 1, steps.size(), s.from(), s.to(), s.periodSeconds(), r.minutesWritten(), r.failures().size(),
                    (i + 1) * 100 / steps.size()));
        }
        return new RunSummary(slos.size(), series, queries, calls, datapoints, minutes, failures);
    }
}
