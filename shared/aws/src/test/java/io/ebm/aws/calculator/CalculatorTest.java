package io.ebm.aws.calculator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ebm.aws.dynamodb.DynamoDbBudgetStore;
import io.ebm.aws.dynamodb.DynamoDbTables;
import io.ebm.aws.messaging.EventBridgeStatusEvents;
import io.ebm.aws.messaging.SnsAlertNotifier;
import io.ebm.aws.testing.AwsEndpoint;
import io.ebm.aws.testing.Inbox;
import io.ebm.core.alert.AlertTier;
import io.ebm.core.budget.EvaluationSettings;
import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.openslo.OpenSloLoader;
import io.ebm.core.port.StructuredLog;
import io.ebm.core.slo.Slo;
import io.ebm.core.store.BudgetStore;
import io.ebm.core.store.SnapshotRecord;
import io.ebm.engine.calculator.Calculator;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The calculator against the AWS protocols (moto here): DynamoDB for the store, an SNS topic subscribed by an
 * SQS queue for the alerts, and an EventBridge rule targeting an SQS queue for the status events. What the
 * queues receive is what subscribers would receive.
 */
class CalculatorTest {

    static final Instant AT = Instant.parse("2026-11-20T10:00:00Z");
    static final long AT_MIN = AT.getEpochSecond() / 60;
    static final Slo API = OpenSloLoader.load(Path.of("../../events/slos/checkout-api.yaml")).slo("api-availability")
            .orElseThrow();

    BudgetStore store;
    SnsClient sns;
    EventBridgeClient eventBridge;
    String topic;
    String bus;
    Inbox alerts;
    Inbox statusEvents;
    final List<Map<String, Object>> log = new ArrayList<>();

    @BeforeEach
    void wire() {
        DynamoDbClient dynamo = AwsEndpoint.dynamoDb();
        String table = "ebm-" + UUID.randomUUID();
        DynamoDbTables.create(dynamo, table, false);
        store = new DynamoDbBudgetStore(dynamo, table);
        SqsClient sqs = AwsEndpoint.client(SqsClient.builder());
        sns = AwsEndpoint.client(SnsClient.builder());
        eventBridge = AwsEndpoint.client(EventBridgeClient.builder());
        alerts = Inbox.create(sqs);
        topic = alerts.subscribeToNewTopic(sns);
        bus = "bus-" + UUID.randomUUID();
        eventBridge.createEventBus(b -> b.name(bus));
        statusEvents = Inbox.create(sqs);
        statusEvents.receiveEvents(eventBridge, bus, EventBridgeStatusEvents.SOURCE);
    }

    Calculator calculator(SnsClient snsClient) {
        return calculator(snsClient, java.time.Clock.systemUTC());
    }

    /** {@code wall} times the outbox's leases. */
    Calculator calculator(SnsClient snsClient, java.time.Clock wall) {
        return new Calculator(store, new SnsAlertNotifier(snsClient, topic), new EventBridgeStatusEvents(eventBridge, bus),
                new Calculator.Options(EvaluationSettings.DEFAULTS, AlertTier.WORKBOOK_DEFAULTS,
                        "https://ebm.example.com/", 15, 1000), (StructuredLog) log::add, wall);
    }

    /** Thirty days of 1,000 requests a minute with no error, then {@code bad} errors a minute from {@code from}. */
    void traffic(long from, long to, long bad) {
        NavigableMap<Long, MinuteCounts> m = new TreeMap<>();
        for (long t = AT_MIN - 30 * 1440; t < to; t++) {
            m.put(t, new MinuteCounts(t >= from ? 1000 - bad : 1000, 1000));
        }
        store.upsertCounts("api-availability", m);
    }

    @Test
    void aFastBurnPagesOnceWithEverythingTheOnCallNeeds() {
        traffic(AT_MIN - 60, AT_MIN, 20); // 2% errors for an hour: burn rate 20 against 14.4
        Calculator.Run run = calculator(sns).run(List.of(API), AT);
        assertThat(run.failures()).isEmpty();
        assertThat(run.snapshotsWritten()).isEqualTo(1);
        assertThat(run.transitions()).isEqualTo(1);

        List<JsonNode> pages = alerts.drain();
        assertThat(pages).hasSize(1);
        JsonNode page = pages.get(0);
        assertThat(page.path("Subject").asText()).isEqualTo("[PAGE] FIRING api-availability: 20.00x burn over 1h (page-1h)");
        String incident = store.alertState("api-availability").orElseThrow().book().burn().id();
        assertThat(incident).isEqualTo("api-availability/" + AT_MIN);
        Map<String, String> expected = new java.util.HashMap<>(Map.of("severity", "page", "kind", "burn",
                "service", "checkout-api", "slo", "api-availability", "tier", "page-1h", "transition", "FIRING",
                "dedupKey", incident, "notice", incident + "#FIRING"));
        assertThat(Inbox.attributes(page)).containsExactlyInAnyOrderEntriesOf(expected);
        String body = page.path("Message").asText();
        assertThat(body).contains("FIRING: api-availability, service checkout-api, severity page")
                .contains("Incident " + incident + ", opened 20 Nov 10:00 UTC")
                .contains("  page-1h (page): burn rate 20.00 over 1h and 20.00 over 5m, threshold 14.40")
                .contains("Budget: 2.8% spent, 97.2% left of 43,200.00 events over 30d rolling")
                .contains("Budget exhausted in: ")
                .contains("Dashboard: https://ebm.example.com/slos/api-availability/view")
                .contains("Runbook: https://runbooks.example.com/checkout-api/availability");
        assertThat(store.incidents("api-availability", AT, AT.plusSeconds(60))).singleElement()
                .satisfies(i -> assertThat(i.severity()).isEqualTo("page"));

        List<JsonNode> changes = statusEvents.drain();
        assertThat(changes).hasSize(1);
        JsonNode event = changes.get(0);
        assertThat(event.path("source").asText()).isEqualTo("io.ebm.error-budget");
        assertThat(event.path("detail-type").asText()).isEqualTo("Error Budget Status Changed");
        assertThat(event.path("detail").path("slo").asText()).isEqualTo("api-availability");
        assertThat(event.path("detail").path("previousStatus").isNull()).isTrue();
        assertThat(event.path("detail").path("status").asText()).isEqualTo("HEALTHY");
        assertThat(event.path("detail").path("snapshotVersion").asLong()).isEqualTo(1);
        assertThat(event.path("detail").path("firingTiers").get(0).asText()).isEqualTo("page-1h");

        SnapshotRecord stored = store.latestSnapshot("api-availability").orElseThrow();
        assertThat(stored.status()).isEqualTo("HEALTHY");
        assertThat(stored.payload()).contains("\"name\":\"api-availability\"").contains("\"firing\":true");
        assertThat(store.pendingOutbox()).isEmpty(); // the page and the status event were delivered, nothing is owed
    }

    @Test
    void theSameTickDeliveredTwiceSendsOneMessagePerTransition() {
        traffic(AT_MIN - 60, AT_MIN, 20);
        calculator(sns).run(List.of(API), AT);
        Calculator.Run again = calculator(sns).run(List.of(API), AT); // a retried invocation, another container
        assertThat(again.notices()).isZero();
        assertThat(again.snapshotsWritten()).isZero();
        assertThat(alerts.drain()).hasSize(1);
        assertThat(statusEvents.drain()).hasSize(1);
    }

    @Test
    void theAlertResolvesOnceTheShortWindowHasBeenCleanForItsHold() {
        traffic(AT_MIN - 60, AT_MIN, 20);
        Calculator calculator = calculator(sns);
        calculator.run(List.of(API), AT);
        String incident = "api-availability/" + AT_MIN;
        traffic(AT_MIN - 60, AT_MIN, 20); // unchanged history
        NavigableMap<Long, MinuteCounts> clean = new TreeMap<>();
        for (long t = AT_MIN; t < AT_MIN + 12; t++) {
            clean.put(t, new MinuteCounts(1000, 1000));
        }
        store.upsertCounts("api-availability", clean);
        Calculator.Run later = calculator.run(List.of(API), AT.plusSeconds(6 * 60)); // warm: reads only the overlap
        assertThat(later.transitions()).isZero(); // clean for 5 minutes: the hold has begun, nobody is told yet
        Calculator.Run resolved = calculator.run(List.of(API), AT.plusSeconds(11 * 60));
        assertThat(resolved.transitions()).isEqualTo(1);
        List<JsonNode> messages = alerts.drain();
        assertThat(messages).extracting(m -> m.path("Subject").asText()).containsExactly(
                "[PAGE] FIRING api-availability: 20.00x burn over 1h (page-1h)",
                "[PAGE] RESOLVED api-availability after 11 minutes (peak 20.00x)");
        assertThat(Inbox.attributes(messages.get(1))).containsEntry("transition", "RESOLVED")
                .containsEntry("dedupKey", incident).containsEntry("notice", incident + "#RESOLVED");
        assertThat(store.alertState("api-availability").orElseThrow().book().burn()).isNull();
        assertThat(store.incidents("api-availability", AT, AT.plusSeconds(3600))).singleElement()
                .satisfies(i -> assertThat(i.resolvedAt()).isEqualTo(AT.plusSeconds(11 * 60)));
    }

    @Test
    void anExhaustedBudgetEmitsAStatusChange() {
        traffic(AT_MIN - 60, AT_MIN, 0);
        Calculator calculator = calculator(sns);
        calculator.run(List.of(API), AT);
        NavigableMap<Long, MinuteCounts> outage = new TreeMap<>();
        for (long t = AT_MIN; t < AT_MIN + 60; t++) {
            outage.put(t, new MinuteCounts(0, 1000)); // an hour down: 60,000 bad against a 43,200 budget
        }
        store.upsertCounts("api-availability", outage);
        calculator.run(List.of(API), AT.plusSeconds(3600));
        List<JsonNode> changes = statusEvents.drain();
        assertThat(changes).extracting(e -> e.path("detail").path("previousStatus").asText(null) + " -> "
                + e.path("detail").path("status").asText()).containsExactly("null -> HEALTHY", "HEALTHY -> EXHAUSTED");
        assertThat(changes.get(1).path("detail").path("snapshotVersion").asLong()).isEqualTo(2);
    }

    @Test
    void twoCalculatorsOnOneSloAtOnceLoseNoUpdateAndPageOnce() throws Exception {
        traffic(AT_MIN - 60, AT_MIN + 30, 20);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Calculator one = calculator(sns);
        Calculator other = calculator(sns); // two containers, each with its own cache
        try {
            for (int minute = 0; minute < 30; minute += 3) {
                Instant at = AT.plusSeconds(60L * minute);
                List<Callable<Calculator.Run>> both = List.of(() -> one.run(List.of(API), at),
                        () -> other.run(List.of(API), at));
                for (Future<Calculator.Run> f : pool.invokeAll(both)) {
                    assertThat(f.get().failures()).isEmpty();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        List<SnapshotRecord> history = store.snapshotHistory("api-availability", AT, AT.plusSeconds(3600));
        // written when what it shows changed, versions without a gap or a repeat; the other runs confirm it
        List<Long> versions = history.stream().map(SnapshotRecord::version).toList();
        assertThat(versions).isNotEmpty().isEqualTo(java.util.stream.LongStream.rangeClosed(1, versions.size())
                .boxed().toList());
        Instant written = store.latestSnapshot("api-availability").orElseThrow().evaluatedAt();
        Instant confirmed = store.confirmations().getOrDefault("api-availability", written);
        assertThat(confirmed.isAfter(written) ? confirmed : written).isEqualTo(AT.plusSeconds(60L * 27));
        assertThat(alerts.drain()).hasSize(1);
        assertThat(statusEvents.drain()).hasSize(1);
    }

    @Test
    void aFailedPublishStaysInTheOutboxAndARunAfterItsLeaseSendsIt() {
        AtomicInteger publishes = new AtomicInteger();
        ExecutionInterceptor failFirst = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                if ("Publish".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))
                        && publishes.getAndIncrement() == 0) {
                    throw new IllegalStateException("SNS unreachable");
                }
            }
        };
        SnsClient flaky = AwsEndpoint.client(SnsClient.builder(), failFirst);
        traffic(AT_MIN - 60, AT_MIN + 1, 20);
        java.time.Instant wall = java.time.Instant.now();
        Calculator.Run first = calculator(flaky, java.time.Clock.fixed(wall, java.time.ZoneOffset.UTC)).run(List.of(API), AT);
        assertThat(first.failures()).singleElement().asString().contains("not delivered").contains("SNS unreachable");
        assertThat(first.snapshotsWritten()).isEqualTo(1); // the state change is kept, with what it owes
        assertThat(first.undelivered()).isEqualTo(1);
        assertThat(store.pendingOutbox()).singleElement().satisfies(e ->
                assertThat(e.id()).isEqualTo(store.alertState("api-availability").orElseThrow().book().burn().id()
                        + "#FIRING"));
        assertThat(alerts.drain()).isEmpty();

        Calculator.Run soon = calculator(flaky, java.time.Clock.fixed(wall.plusSeconds(60), java.time.ZoneOffset.UTC))
                .run(List.of(API), AT.plusSeconds(60));
        assertThat(soon.notices()).isZero(); // the failed run's lease still holds
        Calculator.Run next = calculator(flaky, java.time.Clock.fixed(wall.plusSeconds(180), java.time.ZoneOffset.UTC))
                .run(List.of(API), AT.plusSeconds(120));
        assertThat(next.failures()).isEmpty();
        assertThat(next.notices()).isEqualTo(1);
        List<JsonNode> pages = alerts.drain();
        assertThat(pages).hasSize(1);
        assertThat(Inbox.attributes(pages.get(0))).containsEntry("transition", "FIRING");
        assertThat(store.pendingOutbox()).isEmpty();
    }

    @Test
    void thePolicysExclusionWindowsAndTiersApplyToTheCounts() {
        traffic(AT_MIN - 60, AT_MIN, 20); // the same burn that pages in the first test, during maintenance
        io.ebm.core.policy.Policy policy = io.ebm.core.policy.PolicyLoader.loadText("policy/p.yaml", """
                apiVersion: ebm/v1
                kind: ErrorBudgetPolicy
                metadata: {name: p}
                spec:
                  alerting:
                    tiers:
                      - {name: fast, severity: page, budgetConsumed: 0.02, longWindow: 1h, shortWindow: 5m}
                  exclusions:
                    - name: maintenance
                      scope: {services: [checkout-api]}
                      from: 2026-11-20T09:00:00Z
                      to: 2026-11-20T10:00:00Z
                      treatment: drop
                """);
        Calculator.Run run = calculator(sns).run(List.of(API), AT, policy);
        assertThat(run.failures()).isEmpty();
        assertThat(run.notices()).isZero();
        assertThat(alerts.drain()).isEmpty();
        String payload = store.latestSnapshot("api-availability").orElseThrow().payload();
        assertThat(payload).contains("\"tier\":\"fast\"").doesNotContain("page-1h");
        assertThat(payload).contains("\"1h\":null"); // the hour was dropped: no data in it
    }

    @Test
    void staleInputTurnsIntoNoDataAndIsAnnounced() {
        traffic(AT_MIN - 60, AT_MIN - 40, 0); // the collector stopped 40 minutes ago
        Calculator c = new Calculator(store, new SnsAlertNotifier(sns, topic), new EventBridgeStatusEvents(eventBridge, bus),
                new Calculator.Options(new EvaluationSettings(new java.math.BigDecimal("0.25"), 0, 60, 30),
                        AlertTier.WORKBOOK_DEFAULTS, null, 15, 10), (StructuredLog) log::add);
        c.run(List.of(API), AT);
        JsonNode event = statusEvents.drain().get(0);
        assertThat(event.path("detail").path("status").asText()).isEqualTo("NO_DATA");
        assertThat(event.path("detail").path("reason").asText()).startsWith("stale: no counts since 20 Nov 09:20 UTC");
        assertThat(store.latestSnapshot("api-availability").orElseThrow().payload())
                .contains("\"lastDataAt\":\"2026-11-20T09:20:00Z\"");
    }
}
