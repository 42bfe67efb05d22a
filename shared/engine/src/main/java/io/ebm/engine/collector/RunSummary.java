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
}
