package io.ebm.local.aws;

import io.ebm.aws.cloudwatch.CloudWatchSliSource;
import io.ebm.aws.cloudwatch.MetricDataSource;
import io.ebm.aws.dynamodb.DynamoDbBudgetStore;
import io.ebm.core.openslo.OpenSloLoader;
import io.ebm.core.port.StructuredLog;
import io.ebm.core.slo.Slo;
import io.ebm.core.store.BudgetStore;
import io.ebm.engine.collector.Backfill;
import io.ebm.engine.collector.Collector;
import io.ebm.engine.collector.RunSummary;
import io.ebm.local.Command;
import io.ebm.local.Main;
import io.ebm.local.Options;
import io.ebm.local.UsageException;
import io.ebm.store.SqliteBudgetStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code backfill}: collects a past range for new SLOs with the collector's code, into the embedded store
 * ({@code --db}, default {@code ~/.ebm/ebm.db}) or a DynamoDB table ({@code --table}).
 */
public final class BackfillCommand implements Command {

    @Override
    public String name() {
        return "backfill";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        return run(args, out, err, BackfillCommand::cloudWatch, Instant.now());
    }

    /** {@code cloudWatch} gives the metric source for a region (null: the SDK's default region). */
    static int run(List<String> args, PrintStream out, PrintStream err, Function<String, MetricDataSource> cloudWatch,
                   Instant now) {
        Options o = new Options(args, Set.of("slo", "from", "to", "db", "table", "region"), "backfill");
        Path sloPath = Path.of(o.required("slo", "backfill"));
        Instant from = instant(o.required("from", "backfill"), "--from");
        Instant to = o.get("to") == null ? now : instant(o.get("to"), "--to");
        if (o.get("db") != null && o.get("table") != null) {
            throw new UsageException("backfill: give --db or --table, not both");
        }
        try {
            Backfill.plan(from, to, now);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        List<Slo> slos = OpenSloLoader.load(sloPath).slos();
        BudgetStore store;
        AutoCloseable closer = null;
        if (o.get("table") != null) {
            software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder b = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create());
            if (o.get("region") != null) {
                b.region(Region.of(o.get("region")));
            }
            store = new DynamoDbBudgetStore(b.build(), o.get("table"));
        } else {
            SqliteBudgetStore sqlite = SqliteBudgetStore.open(o.get("db") == null ? Main.DEFAULT_DB : Path.of(o.get("db")));
            store = sqlite;
            closer = sqlite;
        }
        try {
            StructuredLog log = StructuredLog.to(err);
            Collector collector = new Collector(new CloudWatchSliSource(cloudWatch.apply(o.get("region")), log), store, log);
            RunSummary run = new Backfill(collector).run(slos, from, to, now, out::println);
            out.println("backfill done: " + run.series() + " series, " + run.calls() + " GetMetricData calls, "
                    + run.datapoints() + " datapoints, " + run.minutesWritten() + " minutes written, "
                    + run.failures().size() + " failures");
            run.failures().forEach(f -> out.println("  failed " + f.series() + ": " + f.reason()));
            return run.failures().isEmpty() ? 0 : 1;
        } finally {
            if (closer != null) {
                try {
                    closer.close();
                } catch (Exception e) {
                    err.println("backfill: closing the store failed: " + e.getMessage());
                }
            }
        }
    }

    /** The real CloudWatch client: url-connection HTTP, adaptive retries for throttling. */
    static MetricDataSource cloudWatch(String region) {
        software.amazon.awssdk.services.cloudwatch.CloudWatchClientBuilder b = CloudWatchClient.builder().httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(ClientOverrideConfiguration.builder().retryStrategy(RetryMode.ADAPTIVE_V2).build());
        if (region != null) {
            b.region(Region.of(region));
        }
        return MetricDataSource.of(b.build());
    }

    private static Instant instant(String text, String option) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new UsageException("backfill: " + option + " expects an ISO-8601 instant such as "
                    + "2026-11-01T00:00:00Z, got '" + text + "'");
        }
    }
}
