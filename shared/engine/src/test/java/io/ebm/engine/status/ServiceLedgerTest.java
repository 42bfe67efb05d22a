package io.ebm.engine.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ebm.core.SettableClock;
import io.ebm.core.alert.AlertTier;
import io.ebm.core.budget.EvaluationSettings;
import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.openslo.OpenSloLoader;
import io.ebm.core.policy.Policy;
import io.ebm.core.policy.PolicyLoader;
import io.ebm.core.slo.Slo;
import io.ebm.core.store.Definition;
import io.ebm.engine.calculator.Calculator;
import io.ebm.engine.deploy.DeploymentRecorder;
import io.ebm.store.MemoryBudgetStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ledger from events to pages: deployments recorded as CodePipeline tells of them, a bad one that spends 40% of
 * the budget in its first hour, the calculator's snapshot naming it, the ledger route, the service page and the SLO
 * page's deployment marks.
 */
class ServiceLedgerTest {

    static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    static final long M0 = T0.getEpochSecond() / 60;
    static final Instant NOW = T0.plus(Duration.ofDays(10));
    static final ObjectMapper JSON = new ObjectMapper();

    MemoryBudgetStore store;
    StatusApi api;
    Policy policy;

    @BeforeEach
    void month() throws Exception {
        store = new MemoryBudgetStore();
        store.putDefinition("checkout-api.yaml", Files.readString(Path.of("../../events/slos/checkout-api.yaml")), T0);
        String policyText = Files.readString(Path.of("../../events/policies/default-policy.yaml"));
        store.putDefinition(Definition.policyName("default-policy.yaml"), policyText, T0);
        policy = PolicyLoader.loadText("default-policy.yaml", policyText);
        NavigableMap<Long, MinuteCounts> counts = new TreeMap<>();
        long bad0 = M0 + 8 * 1440 + 12 * 60;
        for (long m = M0; m < M0 + 10 * 1440; m++) {
            long bad = m >= bad0 && m < bad0 + 60 ? 96 : 0;
            counts.put(m, new MinuteCounts(1000 - bad, 1000));
        }
        store.upsertCounts("api-availability", counts);
        DeploymentRecorder recorder = new DeploymentRecorder(store);
        record(recorder, "41", "aaa1111", T0.plus(Duration.ofDays(1)));
        record(recorder, "42", "abc123f", T0.plus(Duration.ofDays(8)).plus(Duration.ofHours(12)));
        List<Slo> slos = OpenSloLoader.load(Path.of("../../events/slos/checkout-api.yaml")).slos();
        SettableClock clock = new SettableClock(NOW);
        new Calculator(store, n -> { }, e -> { }, new Calculator.Options(EvaluationSettings.DEFAULTS,
                AlertTier.WORKBOOK_DEFAULTS, null, 15, 100), line -> { }, clock).run(slos, NOW, policy);
        api = new StatusApi(store, line -> { }, clock);
    }

    static void record(DeploymentRecorder recorder, String execution, String revision, Instant landed) {
        Set<String> services = Set.of("checkout-api");
        Policy p = PolicyLoader.loadText("p.yaml", "apiVersion: ebm/v1\nkind: ErrorBudgetPolicy\nmetadata: {name: p}\n"
                + "spec:\n  deployments:\n    pipelines: {checkout-pipeline: [checkout-api]}\n");
        for (DeploymentRecorder.Event e : List.of(
                new DeploymentRecorder.Event(DeploymentRecorder.Kind.STAGE, "checkout-pipeline", execution, "Production",
                        "SUCCEEDED", null, landed),
                new DeploymentRecorder.Event(DeploymentRecorder.Kind.PIPELINE, "checkout-pipeline", execution, null,
                        "STARTED", null, landed.minusSeconds(900)),
                new DeploymentRecorder.Event(DeploymentRecorder.Kind.SOURCE_ACTION, "checkout-pipeline", execution,
                        "Source", "SUCCEEDED", revision, landed.minusSeconds(880)),
                new DeploymentRecorder.Event(DeploymentRecorder.Kind.STAGE, "checkout-pipeline", execution, "Staging",
                        "SUCCEEDED", null, landed.minusSeconds(300)))) {
            // a stage other than the landing stage says nothing the ledger keeps
            assertThat(recorder.record(e, p.deployments(), services)).hasSize("Staging".equals(e.stage()) ? 0 : 1);
        }
    }

    String get(String path) {
        HttpResponse r = api.handle(new HttpRequest("GET", path, Map.of(), Map.of(), null, null));
        assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    @Test
    void theSnapshotNamesTheDeploymentAndTheLedgerChargesItFortyPercent() throws Exception {
        JsonNode snapshot = JSON.readTree(get("/slos/api-availability")).path("deployment");
        assertThat(snapshot.path("execution").asText()).isEqualTo("42");
        assertThat(snapshot.path("revision").asText()).isEqualTo("abc123f");
        assertThat(snapshot.path("stage").asText()).isEqualTo("Production");
        assertThat(snapshot.path("spentWithin").path("1h").asDouble()).isEqualTo(0.4);

        JsonNode ledger = JSON.readTree(get("/services/checkout-api/deployments")).path("deployments");
        assertThat(ledger).hasSize(2);
        assertThat(ledger.get(0).path("execution").asText()).isEqualTo("41");
        JsonNode bad = ledger.get(1);
        assertThat(bad.path("landedAt").asText()).isEqualTo("2026-11-09T12:00:00Z");
        assertThat(bad.path("startedAt").asText()).isEqualTo("2026-11-09T11:45:00Z");
        JsonNode cost = bad.path("budgets").get(0);
        assertThat(cost.path("budget").asText()).isEqualTo("api-availability");
        assertThat(cost.path("firstSpanShare").asDouble()).isEqualTo(0.4);
        assertThat(cost.path("current").asBoolean()).isTrue();
        assertThat(ledger.get(0).path("budgets").get(0).path("inForceShare").asDouble()).isZero();
    }

    @Test
    void theServicePageShowsTheLedgerAndTheSloPageMarksTheDeployments() {
        String service = get("/services/checkout-api/view");
        assertThat(service).contains("<h1>checkout-api</h1>").contains("<h2>Release gate: ")
                .contains("<td>checkout-pipeline execution 42 (revision abc123f)</td><td>9 Nov 12:00 UTC</td>")
                .contains("<td class=\"num\">40.00%</td>");
        String slo = get("/slos/api-availability/view");
        assertThat(slo.split("<g class=\"deployment\">", -1)).hasSize(3);
        assertThat(slo).contains("<title>deployed: checkout-pipeline execution 42 (revision abc123f) landed 9 Nov "
                + "12:00 UTC</title>");
        assertThat(get("/")).contains("<a href=\"/services/checkout-api/view\">checkout-api</a>");
        assertThat(api.handle(new HttpRequest("GET", "/services/nope/deployments", Map.of(), Map.of(), null, null))
                .status()).isEqualTo(404);
        assertThat(api.handle(new HttpRequest("GET", "/services/Bad%20Name/view", Map.of(), Map.of(), null, null))
                .status()).isEqualTo(404);
    }
}
