package io.ebm.aws.cloudwatch;

import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;

/**
 * One GetMetricData page. The collector depends on this, not on the client, so that what no emulator here
 * speaks (CloudWatch's CBOR protocol, metric math) is tested with canned responses and exact requests.
 */
@FunctionalInterface
public interface MetricDataSource {

    GetMetricDataResponse getMetricData(GetMetricDataRequest request);

    static MetricDataSource of(CloudWatchClient client) {
        return client::getMetricData;
    }
}
