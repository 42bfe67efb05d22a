package io.ebm.functions.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ebm.aws.dynamodb.DynamoDbBudgetStore;
import io.ebm.aws.dynamodb.DynamoDbTables;
import io.ebm.aws.testing.AwsEndpoint;
import io.ebm.aws.testing.SampleMonth;
import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.port.StructuredLog;
import io.ebm.core.store.BudgetStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.StatusCode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The handler on the sample schedule event, with definitions and counts in DynamoDB (moto here). */
class SliCollectorHandlerTest {

    private static BudgetStore storeWithSamples() {
        DynamoDbClient client = AwsEndpoint.dynamoDb();
        String table = "ebm-" + UUID.randomUUID();
        DynamoDbTables.create(client, table, false);
        BudgetStore store = new DynamoDbBudgetStore(client, table);
        SampleMonth.storeDefinitions(store);
        return store;
    }

    /** 1,000 events a minute, 4 of them bad (or 996 good), for every query that returns data. */
    private static GetMetricDataResponse answer(software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest r) {
        List<MetricDataResult> results = new ArrayList<>();
        r.metricDataQueries().stream().filter(q -> !Boolean.FALSE.equals(q.returnData())).forEach(q -> {
            List<Instant> ts = new ArrayList<>();
            List<Double> vs = new ArrayList<>();
            for (Instant t = r.startTime(); t.isBefore(r.endTime()); t = t.plusSeconds(60)) {
                ts.add(t);
                vs.add(q.id().endsWith("_bad") ? 4.0 : q.id().endsWith("_good") ? 996.0 : 1000.0);
            }
            results.add(MetricDataResult.builder().id(q.id()).timestamps(ts).values(vs)
                    .statusCode(StatusCode.COMPLETE).build());
        });
        return GetMetricDataResponse.builder().metricDataResults(results).build();
    }

    @Test
    void theScheduleEventCollectsItsTenMinutesForEveryCloudWatchSlo() throws IOException {
        BudgetStore store = storeWithSamples();
        List<Map<String, Object>> lines = new ArrayList<>();
        StructuredLog log = lines::add;
        SliCollectorHandler handler = new SliCollectorHandler(store, SliCollectorHandlerTest::answer,
                Duration.ofMinutes(10), log, Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC));
        Map<String, Object> event = new ObjectMapper().readValue(
                Path.of("../../events/triggers/sli-collector-schedule.json").toFile(),
                new TypeReference<Map<String, Object>>() { });

        Map<String, Object> out = handler.handleRequest(event, null);

        assertThat(out.get("time")).isEqualTo("2026-11-20T10:00:00Z");
        assertThat(out.get("series")).isEqualTo(5); // payments-monthly is Prometheus: evaluated from exported data
        assertThat(out.get("calls")).isEqualTo(1);
        assertThat(out.get("minutesWritten")).isEqualTo(50L);
        assertThat(out.get("failed")).asList().isEmpty();
        long to = Instant.parse("2026-11-20T10:00:00Z").getEpochSecond() / 60;
        NavigableMap<Long, MinuteCounts> api = store.counts("api-availability", to - 60, to);
        assertThat(api).hasSize(10).containsEntry(to - 10, new MinuteCounts(996, 1000));
        assertThat(store.counts("api-latency", to - 60, to)).containsEntry(to - 1, new MinuteCounts(996, 1000));
        assertThat(lines).anySatisfy(l -> assertThat(l).containsEntry("message", "collection run"));
        assertThat(lines).anySatisfy(l -> assertThat(l).containsKey("_aws"));
    }

    @Test
    void aBrokenDefinitionIsSkippedAndTheOthersAreCollected() throws IOException {
        BudgetStore store = storeWithSamples();
        store.putDefinition("search.yaml", "apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: search-timeslices}\n"
                + "spec: {service: search}\n", Instant.EPOCH);
        List<Map<String, Object>> lines = new ArrayList<>();
        SliCollectorHandler handler = new SliCollectorHandler(store, SliCollectorHandlerTest::answer,
                Duration.ofMinutes(10), lines::add, Clock.fixed(Instant.parse("2026-11-20T10:00:00Z"), ZoneOffset.UTC));
        Map<String, Object> out = handler.handleRequest(Map.of(), null);
        assertThat(out.get("series")).isEqualTo(4);
        assertThat(lines).anySatisfy(l -> {
            assertThat(l).containsEntry("level", "ERROR").containsEntry("definition", "search.yaml");
            assertThat(l.get("problems").toString()).contains("spec.budgetingMethod");
        });
    }

    @Test
    void theBurningRunCollectsOnlyTheSlosMarkedBurningOverTheOverlap() throws IOException {
        BudgetStore store = storeWithSamples();
        store.putMark("burning/api-availability", Instant.parse("2026-11-20T09:55:00Z").getEpochSecond() / 60);
        SliCollectorHandler handler = new SliCollectorHandler(store, SliCollectorHandlerTest::answer,
                Duration.ofMinutes(10), line -> { }, Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC));
        Map<String, Object> event = new ObjectMapper().readValue(
                Path.of("../../events/triggers/sli-collector-burning.json").toFile(),
                new TypeReference<Map<String, Object>>() { });

        Map<String, Object> out = handler.handleRequest(event, null);

        assertThat(out).containsEntry("time", "2026-11-20T10:01:00Z").containsEntry("burning", true)
                .containsEntry("series", 1).containsEntry("minutesWritten", 10L);
        long to = Instant.parse("2026-11-20T10:01:00Z").getEpochSecond() / 60;
        assertThat(store.counts("api-availability", to - 60, to)).hasSize(10)
                .containsEntry(to - 1, new MinuteCounts(996, 1000));
        assertThat(store.counts("api-latency", to - 60, to)).isEmpty();
    }
}
