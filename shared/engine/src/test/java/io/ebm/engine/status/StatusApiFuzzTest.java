package io.ebm.engine.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ebm.core.budget.Snapshot;
import io.ebm.core.budget.SnapshotJson;
import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.openslo.OpenSloLoader;
import io.ebm.core.policy.PolicyLoader;
import io.ebm.core.port.StructuredLog;
import io.ebm.core.store.SnapshotRecord;
import io.ebm.engine.Evaluation;
import io.ebm.store.MemoryBudgetStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random requests against every route and parameter of the status API: whatever arrives, the answer is
 * a status below 500, and every error is a problem document.
 */
class StatusApiFuzzTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    static MemoryBudgetStore store;
    static StatusApi api;
    static final List<String> ERRORS = new ArrayList<>();

    @BeforeAll
    static void fleet() throws Exception {
        store = new MemoryBudgetStore();
        for (Path f : Files.list(Path.of("../../events/slos")).sorted().toList()) {
            store.putDefinition(f.getFileName().toString(), Files.readString(f), NOW);
        }
        store.putDefinition("policy/default-policy.yaml",
                Files.readString(Path.of("../../events/policies/default-policy.yaml")), NOW);
        Evaluation e = new Evaluation(OpenSloLoader.load(Path.of("../../events/slos")),
                PolicyLoader.load(Path.of("../../events/policies/default-policy.yaml")));
        long end = NOW.getEpochSecond() / 60;
        Map<String, Long> versions = new LinkedHashMap<>();
        for (long m = end - 2 * 1440; m < end; m++) {
            for (String key : e.dataKeys()) {
                e.add(key, m, new MinuteCounts(m % 97 == 0 ? 900 : 1000, 1000));
            }
            if (m % 360 == 0) {
                for (Snapshot s : e.snapshots(Instant.ofEpochSecond((m + 1) * 60))) {
                    long v = versions.merge(s.name(), 1L, Long::sum);
                    store.putSnapshot(new SnapshotRecord(s.name(), s.evaluatedAt(), s.status().name(), v, SnapshotJson.toText(s)));
                }
            }
        }
        StructuredLog log = line -> {
            if ("ERROR".equals(line.get("level"))) {
                ERRORS.add(line.toString());
            }
        };
        api = new StatusApi(store, log, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static final String[] NAMES = {"api-availability", "api-latency", "checkout-journey", "search-timeslices",
        "payments-monthly", "nope", "", "a/b/c", "..", "%2e%2e", "ＡＰＩ", "<img src=x>", "x".repeat(300), "view",
        "api-availability/view", "checkout-api", "\u0000", "slos"};
    static final String[] VALUES = {"", "2026-11-30T00:00:00Z", "-1000000000-01-01T00:00:00Z",
        "+1000000000-01-01T00:00:00Z", "2026-13-40T99:99:99Z", "1h", "1m", "0m", "-5m", "1M", "99999999d", "NaN",
        "HEALTHY", "NO_DATA", "broken", "Production", "x".repeat(2000), "%", "null", "[]", "{}", "9".repeat(40)};
    static final String[] BODIES = {"", "{}", "[]", "null", "{\"service\":\"checkout-api\"}",
        "{\"service\":\"checkout-api\",\"expires\":\"2026-12-01T01:00:00Z\",\"reason\":\"r\"}",
        "{\"service\":7,\"expires\":[],\"reason\":{}}", "{\"service\":\"checkout-api\",\"expires\":\"2026-12-01T01:00:00Z\","
        + "\"reason\":\"r\",\"stage\":{\"a\":1}}", "not json", "{\"reason\":\"" + "y".repeat(5000) + "\"}", "{{{{"};

    static String pick(Random r, String[] from) {
        return from[r.nextInt(from.length)];
    }

    static HttpRequest request(Random r) {
        String name = pick(r, NAMES);
        String path = switch (r.nextInt(9)) {
            case 0 -> "/";
            case 1 -> "/slos";
            case 2 -> "/slos/" + name;
            case 3 -> "/slos/" + name + "/history";
            case 4 -> "/slos/" + name + "/view";
            case 5 -> "/slos/" + name + "/badge.svg";
            case 6 -> "/services/" + name + "/gate";
            case 7 -> "/overrides" + (r.nextBoolean() ? "" : "/" + name);
            default -> "/" + name + "/" + pick(r, NAMES) + (r.nextBoolean() ? "/" : "");
        };
        Map<String, String> query = new LinkedHashMap<>();
        for (String k : List.of("from", "to", "step", "status", "service", "stage")) {
            if (r.nextInt(3) == 0) {
                query.put(k, pick(r, VALUES));
            }
        }
        String method = new String[] {"GET", "GET", "GET", "POST", "DELETE", "PUT", "HEAD", "get"}[r.nextInt(8)];
        Map<String, String> headers = new LinkedHashMap<>();
        if (r.nextBoolean()) {
            headers.put("if-none-match", pick(r, VALUES));
        }
        String caller = r.nextInt(4) == 0 ? null : "arn:aws:sts::123456789012:assumed-role/fuzz/" + r.nextInt(3);
        return new HttpRequest(method, path, query, headers, r.nextBoolean() ? pick(r, BODIES) : null, caller);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void noRequestGetsAFiveHundred(long seed) throws Exception {
        Random r = new Random(seed);
        for (int i = 0; i < 1000; i++) {
            HttpRequest req = request(r);
            HttpResponse res = api.handle(req);
            assertThat(res.status()).as("%s %s %s %s", req.method(), req.path(), req.query(), ERRORS).isLessThan(500);
            if (res.status() >= 400) {
                assertThat(res.headers()).containsEntry("Content-Type", "application/problem+json");
                JsonNode p = JSON.readTree(res.body());
                assertThat(p.path("status").asInt()).isEqualTo(res.status());
                assertThat(p.path("detail").asText()).isNotBlank().doesNotContain("Exception");
            }
        }
        assertThat(ERRORS).isEmpty();
    }
}
