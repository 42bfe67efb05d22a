package io.ebm.aws.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebm.aws.dynamodb.DynamoDbBudgetStore;
import io.ebm.aws.dynamodb.DynamoDbTables;
import io.ebm.aws.testing.AwsEndpoint;
import io.ebm.aws.testing.RequestCounter;
import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.slo.Slo;
import io.ebm.engine.collector.Collector;
import io.ebm.engine.collector.RunSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NavigableMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The collector end to end: canned CloudWatch in, the real DynamoDB protocol (moto here) out, read back. */
class CollectorDynamoDbTest {

    @Test
    void ticksLandInDynamoDbOnceEachAndCostAtMostThreeRequestsPerSlo() {
        RequestCounter dynamo = new RequestCounter();
        DynamoDbClient client = AwsEndpoint.dynamoDb(dynamo);
        String table = "ebm-" + UUID.randomUUID();
        DynamoDbTables.create(client, table, false);
        Instant start = Instant.parse("2026-11-20T09:30:00Z");
        io.ebm.core.SettableClock clock = new io.ebm.core.SettableClock(start);
        DynamoDbBudgetStore store = new DynamoDbBudgetStore(client, table, Duration.ofDays(90), Duration.ofDays(400),
                Duration.ofDays(400), clock);
        List<Slo> slos = List.of(CollectorTest.sample("api-availability"), CollectorTest.sample("api-latency"),
                CollectorTest.sample("search-timeslices"), CollectorTest.sample("checkout-journey"));
        CannedCloudWatch cw = new CannedCloudWatch(CollectorTest.steady());
        Collector collector = CollectorTest.collector(cw, store, new CollectorTest.Lines());
        for (int tick = 0; tick < 45; tick++) { // crosses 10:00
            clock.set(start.plusSeconds(60L * tick + 5));
            dynamo.reset();
            RunSummary run = collector.tick(slos, start.plusSeconds(60L * tick), Duration.ofMinutes(10));
            assertThat(run.failures()).isEmpty();
            assertThat(run.series()).isEqualTo(5);
            assertThat(dynamo.count()).as("tick %d: %s", tick, dynamo.operations()).isLessThanOrEqualTo(3 * run.series());
        }
        // the same tick delivered twice writes the same minutes again: nothing doubles
        collector.tick(slos, start.plusSeconds(60L * 44), Duration.ofMinutes(10));
        long from = start.getEpochSecond() / 60 - 10;
        long to = start.getEpochSecond() / 60 + 44;
        NavigableMap<Long, MinuteCounts> api = store.counts("api-availability", from, to);
        assertThat(api).hasSize(54);
        assertThat(api.values()).containsOnly(new MinuteCounts(998, 1000));
        assertThat(api.values().stream().mapToLong(MinuteCounts::total).sum()).isEqualTo(54_000);
        assertThat(store.counts("checkout-journey/browse", from, to)).hasSize(54);
    }
}
