package io.ebm.engine.collector;

import java.util.List;

/**
 * What one collection run did.
 *
 * @param series        series of counts attempted (SLOs, or composite components, on CloudWatch)
 * @param calls         GetMetricData requests, pages included
 * @param datapoints    datapoints received
 * @param minutesWritten minutes upserted into the store
 * @param failures      series skipped this run, each with the reason; the others were written
 */
public record RunSummary(int slos, int series, int queries, int calls, long datapoints, long minutesWritten,
                         List<Failure> failures) {

    public record Failure(String slo, String series, String reason) {
    }

    public RunSummary {
        failures = List.copyOf(failures);
    }

    /** Several runs of one tick (ranges read apart) as one, with failures found outside them. */
    public static RunSummary sum(int slos, List<RunSummary> runs, List<Failure> more) {
        int series = 0;
        int queries = 0;
        int calls = 0;
        long datapoints = 0;
        long minutes = 0;
        List<Failure> failures = new java.util.ArrayList<>(more);
        for (RunSummary r : runs) {
            series += r.series();
            queries += r.queries();
            calls += r.calls();
            datapoints += r.datapoints();
            minutes += r.minutesWritten();
            failures.addAll(r.failures());
        }
        return new RunSummary(slos, series, queries, calls, datapoints, minutes, failures);
    }
}
