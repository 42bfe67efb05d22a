package io.ebm.functions.collector;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.ebm.aws.cloudwatch.CloudWatchSliSource;
import io.ebm.aws.cloudwatch.MetricDataSource;
import io.ebm.aws.dynamodb.DynamoDbBudgetStore;
import io.ebm.aws.lambda.Environment;
import io.ebm.aws.lambda.ScheduledTime;
import io.ebm.core.port.StructuredLog;
import io.ebm.core.slo.Slo;
import io.ebm.core.store.BudgetStore;
import io.ebm.engine.StoredDefinitions;
import io.ebm.engine.calculator.Burning;
import io.ebm.engine.collector.Collector;
import io.ebm.engine.collector.RunSummary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The SLI collector: an EventBridge schedule invokes it; it reads the SLO definitions from the store and
 * collects [time − overlap, time) from CloudWatch, and further back what earlier runs missed (at most
 * {@code CATCH_UP_HOURS}, default 24). An event with {@code "burning": true} (the burning mode's one-minute
 * schedule) collects only the SLOs the calculator marked as burning, over the overlap. Environment:
 * {@code TABLE_NAME}, {@code OVERLAP_MINUTES} (default 10).
 */
public final class SliCollectorHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    /** Built once per container, on the first invocation's cold start. */
    private static final class Container {
        static final StructuredLog LOG = StructuredLog.to(System.out);
        static final BudgetStore STORE = new DynamoDbBudgetStore(DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.create()).build(), System.getenv("TABLE_NAME"));
        static final MetricDataSource CLOUDWATCH = MetricDataSource.of(CloudWatchClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(RetryMode.ADAPTIVE_V2).build())
                .build());
    }

    private final BudgetStore store;
    private final Collector collector;
    private final Duration overlap;
    /** How far back a run reads what earlier runs missed (failed series, skipped runs). */
    private final Duration catchUp = Environment.hours("CATCH_UP_HOURS", Duration.ofDays(1));
    private final StructuredLog log;
    private final Clock clock;

    public SliCollectorHandler() {
        this(Container.STORE, Container.CLOUDWATCH, Environment.minutes("OVERLAP_MINUTES", Duration.ofMinutes(10)),
                Container.LOG, Clock.systemUTC());
    }

    SliCollectorHandler(BudgetStore store, MetricDataSource cloudWatch, Duration overlap, StructuredLog log,
                        Clock clock) {
        this.store = store;
        this.collector = new Collector(new CloudWatchSliSource(cloudWatch, log), store, log);
        this.overlap = overlap;
        this.log = log;
        this.clock = clock;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Instant now = ScheduledTime.of(event, clock, log);
        List<Slo> slos = StoredDefinitions.load(store, log);
        boolean burning = ScheduledTime.burning(event);
        // the burning mode's one-minute run reads only the SLOs the calculator marked as burning, over the overlap
        RunSummary run = burning ? collector.collect(Burning.of(store, slos), now.minus(overlap), now, 60)
                : collector.tick(slos, now, overlap, catchUp);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("time", now.toString());
        out.put("burning", burning);
        out.put("series", run.series());
        out.put("calls", run.calls());
        out.put("minutesWritten", run.minutesWritten());
        out.put("failed", run.failures().stream().map(f -> f.series() + ": " + f.reason()).toList());
        return out;
    }
}
