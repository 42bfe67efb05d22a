package io.ebm.aws.cloudwatch;

import java.util.List;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;

/**
 * The CloudWatch queries that give one series of counts (one SLO, or one component of a composite). Result
 * ids are role ids: {@code goodId} or {@code badId} with {@code totalId}, or {@code thresholdId} alone.
 */
record SeriesQuery(String slo, String series, List<MetricDataQuery> queries, String goodId, String badId,
                   String totalId, String thresholdId, ThresholdTest threshold) {

    /** For a threshold SLI: is this minute's value good? */
    interface ThresholdTest {
        boolean good(double value);
    }

    SeriesQuery {
        queries = List.copyOf(queries);
    }

    List<String> resultIds() {
        return java.util.stream.Stream.of(goodId, badId, totalId, thresholdId)
                .filter(java.util.Objects::nonNull).toList();
    }
}
