package io.ebm.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebm.aws.testing.AwsEndpoint;
import io.ebm.aws.testing.RequestCounter;
import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.store.BudgetStore;
import io.ebm.core.store.BudgetStoreContract;
import java.util.NavigableMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;

/** The store contract against the DynamoDB adapter, over a real AWS-protocol endpoint (moto here). */
class DynamoDbBudgetStoreTest extends BudgetStoreContract {

    private static String newTable(DynamoDbClient client) {
        String name = "ebm-" + UUID.randomUUID();
        DynamoDbTables.create(client, name, false);
        return name;
    }

    @Override
    protected BudgetStore store() {
        DynamoDbClient client = AwsEndpoint.dynamoDb();
        return new DynamoDbBudgetStore(client, newTable(client));
    }

    @Test
    void theEndpointIsARealEmulator() {
        assertThat(AwsEndpoint.kind()).isNotBlank();
        assertThat(AwsEndpoint.uri().getScheme()).startsWith("http");
    }

    @Test
    void theTableExpiresItemsByTtlOnExpiresAt() {
        DynamoDbClient client = AwsEndpoint.dynamoDb();
        String table = "ebm-" + UUID.randomUUID();
        DynamoDbTables.create(client, table);
        var ttl = client.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription();
        assertThat(ttl.attributeName()).isEqualTo("expiresAt");
        assertThat(ttl.timeToLiveStatusAsString()).isEqualTo("ENABLED");
    }

    @Test
    void aCollectorTickCostsAtMostThreeRequestsPerSloWhateverTheWindow() {
        RequestCounter counter = new RequestCounter();
        DynamoDbClient client = AwsEndpoint.dynamoDb(counter);
        io.ebm.core.SettableClock clock = new io.ebm.core.SettableClock(
                java.time.Instant.ofEpochSecond((M0 + 30 * 1440) * 60));
        BudgetStore s = new DynamoDbBudgetStore(client, newTable(client), java.time.Duration.ofDays(90),
                java.time.Duration.ofDays(400), java.time.Duration.ofDays(400), clock);
        s.upsertCounts("api", minutes(M0, 30 * 1440, 999, 1000)); // thirty days already stored
        for (long tick = 0; tick < 120; tick++) {
            // each tick re-reads [now − 10 min, now): ten minutes, sometimes across an hour boundary; writes
            // this recent are not noted as changes (readers read them again anyway)
            long now = M0 + 30 * 1440 + tick;
            clock.set(java.time.Instant.ofEpochSecond(now * 60 + 5));
            counter.reset();
            s.upsertCounts("api", minutes(now - 10, 10, 998, 1000));
            assertThat(counter.count()).as("requests at tick %d: %s", tick, counter.operations()).isLessThanOrEqualTo(3);
            assertThat(counter.operations()).containsOnly("UpdateItem");
        }
        counter.reset();
        NavigableMap<Long, MinuteCounts> month = s.counts("api", M0, M0 + 30 * 1440);
        assertThat(month).hasSize(30 * 1440);
        assertThat(counter.operations()).containsOnly("Query");
        assertThat(counter.count()).as("Query pages for 30 days").isEqualTo(1); // 720 hour items, about 500 KB: one page
    }

    @Test
    void unprocessedBatchItemsAreRetriedUntilWritten() {
        AtomicInteger calls = new AtomicInteger();
        ExecutionInterceptor throttleFirstBatch = new ExecutionInterceptor() {
            @Override
            public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
                if (context.request() instanceof BatchWriteItemRequest req && calls.getAndIncrement() == 0) {
                    // pretend DynamoDB accepted nothing the first time: every item comes back unprocessed
                    return ((BatchWriteItemResponse) context.response()).toBuilder()
                            .unprocessedItems(req.requestItems()).build();
                }
                return context.response();
            }
        };
        DynamoDbClient client = AwsEndpoint.dynamoDb(throttleFirstBatch);
        BudgetStore s = new DynamoDbBudgetStore(client, newTable(client));
        s.upsertCounts("api", minutes(M0, 24 * 60, 95, 100)); // a backfill of one day: 24 hour items
        assertThat(calls.get()).isGreaterThanOrEqualTo(2);
        NavigableMap<Long, MinuteCounts> read = s.counts("api", M0, M0 + 24 * 60);
        assertThat(read).hasSize(24 * 60);
        assertThat(read.values().stream().mapToLong(MinuteCounts::total).sum()).isEqualTo(24 * 60 * 100L);
    }

    @Test
    void aServerErrorIsRetriedAndNothingIsWrittenTwice() {
        AtomicInteger updates = new AtomicInteger();
        ExecutionInterceptor failFirstUpdate = new ExecutionInterceptor() {
            @Override
            public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context,
                                                      ExecutionAttributes attributes) {
                if ("UpdateItem".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))
                        && updates.getAndIncrement() == 0) {
                    return context.httpResponse().toBuilder().statusCode(500).build();
                }
                return context.httpResponse();
            }
        };
        DynamoDbClient client = AwsEndpoint.dynamoDb(failFirstUpdate);
        BudgetStore s = new DynamoDbBudgetStore(client, newTable(client));
        s.upsertCounts("api", minutes(M0, 10, 90, 100));
        assertThat(updates.get()).isEqualTo(2); // the 500, then the retry
        NavigableMap<Long, MinuteCounts> read = s.counts("api", M0, M0 + 60);
        assertThat(read).hasSize(10);
        assertThat(read.values().stream().mapToLong(MinuteCounts::total).sum()).isEqualTo(1000);
    }

    @Test
    void backfillMergesWithMinutesAlreadyStored() {
        DynamoDbClient client = AwsEndpoint.dynamoDb();
        BudgetStore s = new DynamoDbBudgetStore(client, newTable(client));
        s.upsertCounts("api", minutes(M0 + 300, 5, 1, 1)); // minutes a collector wrote in hour 5
        NavigableMap<Long, MinuteCounts> backfill = minutes(M0, 5 * 60, 7, 7); // hours 0..4 and nothing in hour 5
        backfill.putAll(minutes(M0 + 310, 3, 8, 8));
        s.upsertCounts("api", backfill);
        NavigableMap<Long, MinuteCounts> read = s.counts("api", M0, M0 + 6 * 60);
        assertThat(read).hasSize(5 * 60 + 5 + 3);
        assertThat(read.get(M0 + 300)).isEqualTo(new MinuteCounts(1, 1));
        assertThat(read.get(M0 + 311)).isEqualTo(new MinuteCounts(8, 8));
    }
}
