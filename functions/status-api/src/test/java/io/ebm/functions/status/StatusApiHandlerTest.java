package io.ebm.functions.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ebm.aws.dynamodb.DynamoDbBudgetStore;
import io.ebm.aws.dynamodb.DynamoDbTables;
import io.ebm.aws.testing.AwsEndpoint;
import io.ebm.aws.testing.SampleMonth;
import io.ebm.core.port.StructuredLog;
import io.ebm.core.store.BudgetStore;
import io.ebm.engine.status.StatusApi;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The handler on the sample API Gateway events, over the sample month stored in DynamoDB (moto here). */
class StatusApiHandlerTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static BudgetStore store;
    static StatusApiHandler handler;
    static final List<Map<String, Object>> LOG = new ArrayList<>();

    @BeforeAll
    static void seed() {
        DynamoDbClient dynamo = AwsEndpoint.dynamoDb();
        String table = "ebm-" + UUID.randomUUID();
        DynamoDbTables.create(dynamo, table, false);
        store = new DynamoDbBudgetStore(dynamo, table);
        SampleMonth.seed(store, Duration.ofHours(6));
        handler = new StatusApiHandler(new StatusApi(store, (StructuredLog) LOG::add,
                Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC)));
    }

    static Map<String, Object> event(String file) throws IOException {
        return JSON.readValue(Path.of("../../events/triggers", file).toFile(), new TypeReference<Map<String, Object>>() { });
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> headers(Map<String, Object> response) {
        return (Map<String, String>) response.get("headers");
    }

    static JsonNode body(Map<String, Object> response) throws IOException {
        return JSON.readTree((String) response.get("body"));
    }

    @Test
    void oneSloAsJsonWithAnETagThatRevalidates() throws IOException {
        Map<String, Object> r = handler.handleRequest(event("status-get-slo.json"), null);
        assertThat(r.get("statusCode")).isEqualTo(200);
        assertThat(headers(r)).containsEntry("Content-Type", "application/json").containsEntry("Cache-Control",
                "public, max-age=30").containsKey("ETag");
        JsonNode slo = body(r);
        assertThat(slo.path("name").asText()).isEqualTo("api-availability");
        assertThat(slo.path("status").asText()).isEqualTo("HEALTHY");
        assertThat(slo.path("evaluatedAt").asText()).isEqualTo("2026-12-01T00:00:00Z");

        Map<String, Object> again = event("status-get-slo.json");
        Map<String, Object> h = new HashMap<>(headersOf(again));
        h.put("if-none-match", headers(r).get("ETag"));
        again.put("headers", h);
        Map<String, Object> cached = handler.handleRequest(again, null);
        assertThat(cached.get("statusCode")).isEqualTo(304);
        assertThat(cached.get("body")).isEqualTo("");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> headersOf(Map<String, Object> event) {
        return (Map<String, Object>) event.get("headers");
    }

    @Test
    void theListFiltersByServiceOverARestProxyEvent() throws IOException {
        Map<String, Object> r = handler.handleRequest(event("status-list-slos-rest.json"), null);
        JsonNode list = body(r);
        assertThat(list).hasSize(2);
        assertThat(list.get(0).path("name").asText()).isEqualTo("api-latency"); // lowest budget first
        assertThat(list.get(0).path("status").asText()).isEqualTo("EXHAUSTED");
        assertThat(list.get(1).path("name").asText()).isEqualTo("api-availability");
    }

    @Test
    void theGateDeniesWithItsReasons() throws IOException {
        JsonNode gate = body(handler.handleRequest(event("status-gate.json"), null));
        assertThat(gate.path("verdict").asText()).isEqualTo("DENY");
        assertThat(gate.path("stage").asText()).isEqualTo("Production");
        assertThat(gate.path("reasons").get(0).asText()).contains("freeze-when-exhausted").contains("api-latency");
    }

    @Test
    void historyIsSampledPerStep() throws IOException {
        JsonNode h = body(handler.handleRequest(event("status-history.json"), null));
        JsonNode points = h.path("points");
        assertThat(points).hasSize(11); // 2026-11-20 .. 2026-12-01 by day
        assertThat(points.get(0).path("at").asText()).isEqualTo("2026-11-20T18:00:00Z"); // the last of the first day
        assertThat(points.get(points.size() - 1).path("status").asText()).isEqualTo("EXHAUSTED");
        assertThat(points.get(0).path("remainingFraction").asDouble())
                .isGreaterThan(points.get(points.size() - 1).path("remainingFraction").asDouble());
    }

    @Test
    void theBadgeIsAnSvgThatSaysItsStatusInWords() throws IOException {
        Map<String, Object> r = handler.handleRequest(event("status-badge.json"), null);
        assertThat(headers(r)).containsEntry("Content-Type", "image/svg+xml");
        assertThat((String) r.get("body")).startsWith("<svg").contains("error budget").contains("healthy")
                .contains("<title>");
    }

    @Test
    void theDashboardIsServerRenderedWithoutExternalResources() throws IOException {
        Map<String, Object> r = handler.handleRequest(event("status-dashboard.json"), null);
        String html = (String) r.get("body");
        assertThat(headers(r)).containsEntry("Content-Type", "text/html; charset=utf-8");
        assertThat(html).contains("<h1>Error budgets</h1>").contains("✗ EXHAUSTED").contains("api-latency")
                .doesNotContain("http://").doesNotContain("https://").doesNotContain("<script");
        assertThat(html.indexOf("api-latency")).isLessThan(html.indexOf("api-availability/view"));
    }

    @Test
    void anOverrideNeedsAnIamCallerAndIsThenHonouredByTheGate() throws IOException {
        Map<String, Object> create = event("status-create-override.json");
        Map<String, Object> created = handler.handleRequest(create, null);
        assertThat(created.get("statusCode")).isEqualTo(201);
        JsonNode o = body(created);
        assertThat(o.path("author").asText()).isEqualTo("arn:aws:sts::123456789012:assumed-role/release-managers/alice");
        JsonNode gate = body(handler.handleRequest(event("status-gate.json"), null));
        assertThat(gate.path("verdict").asText()).isEqualTo("ALLOW");
        assertThat(gate.path("overrides").get(0).path("id").asText()).isEqualTo(o.path("id").asText());

        Map<String, Object> anonymous = event("status-create-override.json");
        ((Map<String, Object>) anonymous.get("requestContext")).remove("authorizer");
        Map<String, Object> refused = handler.handleRequest(anonymous, null);
        assertThat(refused.get("statusCode")).isEqualTo(403);
        assertThat(headers(refused)).containsEntry("Content-Type", "application/problem+json");

        Map<String, Object> revoke = event("status-create-override.json");
        revoke.put("rawPath", "/overrides/" + o.path("id").asText());
        revoke.put("queryStringParameters", Map.of("service", "checkout-api"));
        ((Map<String, Object>) ((Map<String, Object>) revoke.get("requestContext")).get("http")).put("method", "DELETE");
        assertThat(handler.handleRequest(revoke, null).get("statusCode")).isEqualTo(204);
        assertThat(body(handler.handleRequest(event("status-gate.json"), null)).path("verdict").asText()).isEqualTo("DENY");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> get(String path, Map<String, String> query) throws IOException {
        Map<String, Object> e = event("status-get-slo.json");
        e.put("rawPath", path);
        e.put("queryStringParameters", query);
        return e;
    }

    @Test
    void badRequestsAreProblemDocumentsWithoutStackTraces() throws IOException {
        Object[][] cases = {
            {"/slos", Map.of("status", "BROKEN"), 400, "status must be one of"},
            {"/slos/api-latency/history", Map.of("from", "2026-11-30T00:00:00Z", "to", "2026-11-01T00:00:00Z"), 400,
                "must be before to"},
            {"/slos/api-latency/history", Map.of("from", "2025-01-01T00:00:00Z", "to", "2026-11-01T00:00:00Z"), 400,
                "spans more than 400 days"},
            {"/slos/api-latency/history", Map.of("step", "1m"), 400, "more than 5000"},
            {"/slos/api-latency/history", Map.of("step", "1M"), 400, "step must be a duration"},
            {"/slos/api-latency/history", Map.of("from", "yesterday"), 400, "from must be an ISO-8601 instant"},
            {"/slos/nope", Map.of(), 404, "no SLO named 'nope'"},
            {"/services/nobody/gate", Map.of(), 404, "no evaluated SLO belongs to service 'nobody'"},
            {"/elsewhere", Map.of(), 404, "no resource at /elsewhere"},
        };
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            Map<String, Object> r = handler.handleRequest(get((String) c[0], (Map<String, String>) c[1]), null);
            assertThat(r.get("statusCode")).as("%s %s", c[0], c[1]).isEqualTo(c[2]);
            JsonNode p = body(r);
            assertThat(p.path("status").asInt()).isEqualTo(c[2]);
            assertThat(p.path("detail").asText()).contains((String) c[3]);
            assertThat(p.path("instance").asText()).isEqualTo(c[0]);
            assertThat((String) r.get("body")).doesNotContain("Exception").doesNotContain("at io.ebm");
        }
        Map<String, Object> put = event("status-get-slo.json");
        ((Map<String, Object>) ((Map<String, Object>) put.get("requestContext")).get("http")).put("method", "PUT");
        Map<String, Object> r = handler.handleRequest(put, null);
        assertThat(r.get("statusCode")).isEqualTo(405);
        assertThat(headers(r)).containsEntry("Allow", "GET");
    }

    @Test
    void anSloPageDrawsItsChartsInline() throws IOException {
        String html = (String) handler.handleRequest(get("/slos/api-latency/view", null), null).get("body");
        assertThat(html).contains("<h1>api-latency</h1>").contains("<svg").contains("Remaining error budget")
                .contains("Burn rate per window").contains("<h2>Incidents</h2>").contains("ticket-3d")
                .contains("✗ EXHAUSTED").contains("FIRING");
        // the slow burn's ticket incident, as stored, is still open at the end of the month
        assertThat(html).contains("<td>ticket</td><td>22 Nov 14:40 UTC</td><td>–</td><td>open</td>")
                .contains("<title>ticket incident from 22 Nov 14:40 UTC, open at 1 Dec 00:00 UTC; tiers ticket-3d, "
                        + "ticket-1d").doesNotContain("No incident in this window");
        Map<String, Object> listed = handler.handleRequest(get("/slos/api-latency/incidents", null), null);
        assertThat(listed.get("statusCode")).isEqualTo(200);
        assertThat((String) listed.get("body")).contains("\"openedAt\":\"2026-11-22T14:40:00Z\"")
                .contains("\"resolvedAt\":null").contains("\"severity\":\"ticket\"");
    }

    @Test
    @SuppressWarnings("unchecked")
    void malformedEventsAreFourHundredsAndPublicCallersSeeNoAuthors() throws IOException {
        Map<String, Object> odd = event("status-create-override.json");
        Map<String, Object> iam = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) odd
                .get("requestContext")).get("authorizer")).get("iam");
        iam.put("userArn", Map.of("not", "a string"));
        Map<String, Object> refused = handler.handleRequest(odd, null);
        assertThat(refused.get("statusCode")).isEqualTo(403); // no identity: the write is refused, not thrown

        Map<String, Object> base64 = event("status-create-override.json");
        base64.put("isBase64Encoded", true);
        base64.put("body", "%%% not base64 %%%");
        Map<String, Object> bad = handler.handleRequest(base64, null);
        assertThat(bad.get("statusCode")).isEqualTo(400);
        assertThat(headers(bad)).containsEntry("Content-Type", "application/problem+json");
        assertThat(body(bad).path("detail").asText()).contains("not base64");

        Map<String, Object> far = event("status-create-override.json");
        far.put("body", "{\"service\":\"checkout-api\",\"expires\":\"+1000000000-01-01T00:00:00Z\",\"reason\":\"r\"}");
        Map<String, Object> farAnswer = handler.handleRequest(far, null);
        assertThat(farAnswer.get("statusCode")).isEqualTo(400);
        assertThat(body(farAnswer).path("detail").asText()).contains("expires must lie between");

        // an override listed to a caller without an identity (a route opened to the public) names no one
        Map<String, Object> created = handler.handleRequest(event("status-create-override.json"), null);
        assertThat(created.get("statusCode")).isEqualTo(201);
        String id = body(created).path("id").asText();
        Map<String, Object> list = get("/overrides", Map.of("service", "checkout-api"));
        ((Map<String, Object>) list.get("requestContext")).remove("authorizer");
        JsonNode listed = body(handler.handleRequest(list, null));
        assertThat(listed.toString()).doesNotContain("alice").contains("(redacted)");
        Map<String, Object> gate = event("status-gate.json");
        ((Map<String, Object>) gate.get("requestContext")).remove("authorizer");
        assertThat(body(handler.handleRequest(gate, null)).toString()).doesNotContain("alice");
        Map<String, Object> revoke = event("status-create-override.json");
        revoke.put("rawPath", "/overrides/" + id);
        revoke.put("queryStringParameters", Map.of("service", "checkout-api"));
        ((Map<String, Object>) ((Map<String, Object>) revoke.get("requestContext")).get("http")).put("method", "DELETE");
        assertThat(handler.handleRequest(revoke, null).get("statusCode")).isEqualTo(204);
    }
}
