package io.ebm.aws.cloudwatch;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.StatusCode;

/**
 * Canned GetMetricData answers: each returned query is answered by a function of the query, giving a value per
 * minute of the request's range (null: no datapoint). Every request is recorded for exact assertions; failures
 * can be queued.
 */
public final class CannedCloudWatch implements MetricDataSource {

    public final List<GetMetricDataRequest> requests = new ArrayList<>();
    private final Function<MetricDataQuery, Function<Long, Double>> world;
    private final Deque<RuntimeException> failures = new ArrayDeque<>();
    private final Map<String, StatusCode> statusById = new HashMap<>();
    private int pageSize = Integer.MAX_VALUE;

    public CannedCloudWatch(Function<MetricDataQuery, Function<Long, Double>> world) {
        this.world = world;
    }

    /** The next calls fail with these, in order. */
    CannedCloudWatch failNext(RuntimeException... errors) {
        failures.addAll(List.of(errors));
        return this;
    }

    CannedCloudWatch status(String id, StatusCode code) {
        statusById.put(id, code);
        return this;
    }

    /** At most this many datapoints per query per page; the rest comes after a NextToken. */
    CannedCloudWatch pageSize(int n) {
        pageSize = n;
        return this;
    }

    static CloudWatchException error(int status, String code, String message) {
        return (CloudWatchException) CloudWatchException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
                .message(message).build();
    }

    @Override
    public GetMetricDataResponse getMetricData(GetMetricDataRequest request) {
        requests.add(request);
        if (!failures.isEmpty()) {
            throw failures.poll();
        }
        int page = request.nextToken() == null ? 0 : Integer.parseInt(request.nextToken());
        long from = request.startTime().getEpochSecond() / 60;
        long to = request.endTime().getEpochSecond() / 60;
        boolean more = false;
        List<MetricDataResult> results = new ArrayList<>();
        for (MetricDataQuery q : request.metricDataQueries()) {
            if (Boolean.FALSE.equals(q.returnData())) {
                continue;
            }
            Function<Long, Double> values = world.apply(q);
            List<Instant> ts = new ArrayList<>();
            List<Double> vs = new ArrayList<>();
            int index = 0;
            for (long m = from; m < to; m++) {
                Double v = values.apply(m);
                if (v == null) {
                    continue;
                }
                if (index >= (long) page * pageSize && index < (long) (page + 1) * pageSize) {
                    ts.add(Instant.ofEpochSecond(m * 60));
                    vs.add(v);
                }
                index++;
            }
            boolean thisHasMore = index > (long) (page + 1) * pageSize;
            more |= thisHasMore;
            results.add(MetricDataResult.builder().id(q.id()).label(q.id()).timestamps(ts).values(vs)
                    .statusCode(statusById.getOrDefault(q.id(), thisHasMore ? StatusCode.PARTIAL_DATA : StatusCode.COMPLETE))
                    .build());
        }
        return GetMetricDataResponse.builder().metricDataResults(results)
                .nextToken(more ? Integer.toString(page + 1) : null).build();
    }
}
