package io.ebm.functions.calculator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ebm.aws.dynamodb.DynamoDbBudgetStore;
import io.ebm.aws.dynamodb.DynamoDbTables;
import io.ebm.aws.messaging.EventBridgeStatusEvents;
import io.ebm.aws.messaging.Shards;
import io.ebm.aws.messaging.SnsAlertNotifier;
import io.ebm.aws.testing.AwsEndpoint;
import io.ebm.aws.testing.SampleMonth;
import io.ebm.core.alert.AlertTier;
import io.ebm.core.budget.EvaluationSettings;
import io.ebm.core.port.StructuredLog;
import io.ebm.core.store.BudgetStore;
import io.ebm.engine.calculator.Calculator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** The handler on the sample events: schedule, fan-out to SQS, and shards with a partial batch response. */
class BudgetCalculatorHandlerTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant AT = Instant.parse("2026-11-20T10:00:00Z");

    BudgetStore store;
    SqsClient sqs;
    String queue;
    final List<Map<String, Object>> log = new ArrayList<>();

    @BeforeEach
    void wire() {
        DynamoDbClient dynamo = AwsEndpoint.dynamoDb();
        String table = "ebm-" + UUID.randomUUID();
        DynamoDbTables.create(dynamo, table, false);
        store = new DynamoDbBudgetStore(dynamo, table);
        SampleMonth.storeDefinitions(store);
        sqs = AwsEndpoint.client(SqsClient.builder());
        queue = sqs.createQueue(b -> b.queueName("shards-" + UUID.randomUUID())).queueUrl();
    }

    BudgetCalculatorHandler handler(int maxPerInvocation) {
        SnsClient sns = AwsEndpoint.client(SnsClient.builder());
        String topic = sns.createTopic(b -> b.name("alerts-" + UUID.randomUUID())).topicArn();
        EventBridgeClient events = AwsEndpoint.client(EventBridgeClient.builder());
        return new BudgetCalculatorHandler(store, new SnsAlertNotifier(sns, topic), new EventBridgeStatusEvents(events, "default"),
                shards -> Shards.send(sqs, queue, shards),
                new Calculator.Options(EvaluationSettings.DEFAULTS, AlertTier.WORKBOOK_DEFAULTS, null, 15, 100),
                maxPerInvocation, (StructuredLog) log::add, Clock.fixed(AT, ZoneOffset.UTC));
    }

    static Map<String, Object> event(String file) throws IOException {
        return JSON.readValue(Path.of("../../events/triggers", file).toFile(), new TypeReference<Map<String, Object>>() { });
    }

    @Test
    void aSmallTickIsEvaluatedInline() throws IOException {
        Map<String, Object> out = handler(200).handleRequest(event("budget-calculator-schedule.json"), null);
        assertThat(out).containsEntry("at", "2026-11-20T10:00:00Z").containsEntry("slos", 5)
                .containsEntry("snapshotsWritten", 5).containsEntry("statusEvents", 5).containsEntry("stale", 0)
                .containsEntry("undelivered", 0).containsEntry("failed", List.of());
        assertThat(store.latestSnapshot("checkout-journey").orElseThrow().status()).isEqualTo("NO_DATA");
        // the same scheduled event again (a retried invocation) is stale: nothing written, nothing sent
        Map<String, Object> again = handler(200).handleRequest(event("budget-calculator-schedule.json"), null);
        assertThat(again).containsEntry("snapshotsWritten", 0).containsEntry("stale", 5).containsEntry("statusEvents", 0);
    }

    @Test
    void aLargeTickFansOutShardsThatAreEvaluatedOneByOne() throws IOException {
        BudgetCalculatorHandler handler = handler(2);
        Map<String, Object> out = handler.handleRequest(event("budget-calculator-schedule.json"), null);
        assertThat(out).containsEntry("shards", 3);

        List<Map<String, Object>> records = new ArrayList<>();
        List<List<String>> shardSlos = new ArrayList<>();
        while (true) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10)).messages();
            if (batch.isEmpty()) {
                break;
            }
            for (Message m : batch) {
                Map<String, Object> r = new HashMap<>();
                r.put("messageId", m.messageId());
                r.put("body", m.body());
                r.put("eventSource", "aws:sqs");
                records.add(r);
                JsonNode body = JSON.readTree(m.body());
                assertThat(body.path("at").asText()).isEqualTo("2026-11-20T10:00:00Z");
                List<String> names = new ArrayList<>();
                body.path("slos").forEach(n -> names.add(n.asText()));
                shardSlos.add(names);
                sqs.deleteMessage(b -> b.queueUrl(queue).receiptHandle(m.receiptHandle()));
            }
        }
        assertThat(shardSlos).hasSize(3).allSatisfy(s -> assertThat(s.size()).isBetween(1, 2));
        assertThat(shardSlos.stream().flatMap(List::stream).sorted().toList()).containsExactly("api-availability",
                "api-latency", "checkout-journey", "payments-monthly", "search-timeslices");

        Map<String, Object> response = handler.handleRequest(Map.of("Records", records), null);
        assertThat(response).containsEntry("batchItemFailures", List.of());
        for (String slo : List.of("api-availability", "api-latency", "checkout-journey", "payments-monthly",
                "search-timeslices")) {
            assertThat(store.latestSnapshot(slo)).as(slo).isPresent();
        }
    }

    @Test
    void aFailingShardComesBackAloneInThePartialBatchResponse() throws IOException {
        Map<String, Object> response = handler(200).handleRequest(event("budget-calculator-shards.json"), null);
        assertThat(response).isEqualTo(Map.of("batchItemFailures",
                List.of(Map.of("itemIdentifier", "2e1424d4-f796-459a-8184-9c92662be6da"))));
        assertThat(store.latestSnapshot("api-availability")).isPresent(); // the good shard was evaluated
        assertThat(store.latestSnapshot("search-timeslices")).isPresent(); // and the known half of the other
        assertThat(log).anySatisfy(l -> assertThat(l).containsEntry("message", "shard failed; SQS will deliver it again")
                .containsEntry("unknownSlos", List.of("retired-slo")));
    }

    @Test
    void theBurningRunEvaluatesOnlyTheSlosMarkedBurning() throws IOException {
        Map<String, Object> nothingMarked = handler(200).handleRequest(event("budget-calculator-burning.json"), null);
        assertThat(nothingMarked).containsEntry("at", "2026-11-20T10:01:00Z").containsEntry("burning", true)
                .containsEntry("slos", 0).containsEntry("snapshotsWritten", 0);

        store.putMark("burning/api-availability", AT.getEpochSecond() / 60);
        Map<String, Object> out = handler(1).handleRequest(event("budget-calculator-burning.json"), null);
        // one SLO, evaluated inline although the limit per invocation is 1: a burning run is never sharded
        assertThat(out).containsEntry("burning", true).containsEntry("slos", 1).containsEntry("snapshotsWritten", 1)
                .doesNotContainKey("shards");
        assertThat(store.latestSnapshot("api-availability").orElseThrow().evaluatedAt())
                .isEqualTo(Instant.parse("2026-11-20T10:01:00Z"));
        assertThat(store.latestSnapshot("api-latency")).isEmpty();
    }
}
