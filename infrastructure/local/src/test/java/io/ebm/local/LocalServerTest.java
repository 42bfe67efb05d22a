package io.ebm.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebm.core.port.StructuredLog;
import io.ebm.engine.status.StatusApi;
import io.ebm.store.SqliteBudgetStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The status API served on loopback over the embedded store, seeded with the sample month; and Debian's headless
 * Chromium loading the dashboard like a person would, with screenshots left under target/.
 */
class LocalServerTest {

    static Path dir;
    static SqliteBudgetStore store;
    static LocalServer server;
    static String base;

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createTempDirectory("ebm-serve");
        store = SqliteBudgetStore.open(dir.resolve("ebm.db"));
        int snapshots = Seeder.seed(store, Path.of("../../events/slos"), Path.of("../../events/data/sample-30d.csv"),
                Path.of("../../events/policies/default-policy.yaml"), Duration.ofHours(1), 0);
        assertThat(snapshots).isEqualTo(5 * (30 * 24 - 1) + 5);
        server = LocalServer.start(new StatusApi(store, (StructuredLog) line -> { },
                Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC)), 0);
        base = "http://127.0.0.1:" + server.port();
    }

    @org.junit.jupiter.api.Test
    void serveJudgesFreshnessByTheStoresOwnTimeNotTheWallClock() {
        // the sample month ends on 1 December: by the wall clock every snapshot would be stale NO_DATA
        assertThat(ServeCommands.storeTime(store).instant()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
    }

    static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theSameApiAnswersOnLoopback() throws Exception {
        HttpResponse<String> slo = get("/slos/api-latency");
        assertThat(slo.statusCode()).isEqualTo(200);
        assertThat(slo.headers().firstValue("ETag")).isPresent();
        assertThat(slo.body()).contains("\"status\":\"EXHAUSTED\"");
        assertThat(get("/slos?status=NOPE").statusCode()).isEqualTo(400);
        assertThat(get("/slos?status=NOPE").headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(get("/services/checkout-api/gate").body()).contains("\"verdict\":\"DENY\"");
        HttpResponse<String> history = get("/slos/api-availability/history?from=2026-11-12T00:00:00Z"
                + "&to=2026-11-13T00:00:00Z&step=1h");
        assertThat(history.body()).contains("{\"at\":\"2026-11-12T15:00:00Z\",\"status\":\"EXHAUSTED\"").contains("\"firing\":[\"page-6h\"");
    }

    /** Headless Chromium from Debian's package; .ci/run installs it where it is missing. */
    static String chromium(List<String> args) throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        assertThat(chromium).as("Debian's chromium (apt-get install chromium)").exists();
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + Files.createTempDirectory("chromium"),
                "--window-size=1280,1000"));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void aBrowserSeesTheDashboardAndTheSloPage() throws Exception {
        String dom = chromium(List.of("--dump-dom", base + "/"));
        assertThat(dom).contains("<h1>Error budgets</h1>").contains("✗ EXHAUSTED").contains("api-latency")
                .contains("checkout-journey").contains("search-timeslices");
        assertThat(dom.indexOf("api-latency")).isLessThan(dom.indexOf("payments-monthly"));

        Path shots = Path.of("target/screenshots");
        Files.createDirectories(shots);
        Path dashboard = shots.resolve("dashboard.png").toAbsolutePath();
        chromium(List.of("--screenshot=" + dashboard, base + "/"));
        assertThat(Files.size(dashboard)).isGreaterThan(10_000);

        String page = chromium(List.of("--dump-dom", base + "/slos/api-availability/view"));
        assertThat(page).contains("<h1>api-availability</h1>").contains("Remaining error budget").contains("page-6h");
        // the timeline is the stored incidents, exactly: each one's times and tiers, in the table and on hover
        com.fasterxml.jackson.databind.JsonNode stored = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(get("/slos/api-availability/incidents").body()).path("incidents");
        assertThat(stored).hasSize(1);
        for (com.fasterxml.jackson.databind.JsonNode node : stored) {
            io.ebm.core.incident.Incident i = io.ebm.core.incident.IncidentJson.incident(node.toString());
            String opened = io.ebm.core.Human.time(i.openedAt());
            String resolved = io.ebm.core.Human.time(i.resolvedAt());
            assertThat(opened).isEqualTo("12 Nov 14:05 UTC"); // the fast incident, seen at the 5-minute tick
            assertThat(page).contains("<td>" + opened + "</td>").contains("<td>" + resolved + "</td>")
                    .contains("<title>page incident from " + opened + " to " + resolved + "; tiers "
                            + String.join(", ", i.tiers()))
                    .contains("<td>" + String.join(", ", i.tiers()) + "</td>");
        }
        assertThat(page.split("<g class=\"incident\">", -1)).hasSize(stored.size() + 1);
        Path view = shots.resolve("slo-api-availability.png").toAbsolutePath();
        chromium(List.of("--screenshot=" + view, base + "/slos/api-availability/view"));
        assertThat(Files.size(view)).isGreaterThan(10_000);
    }

    /** An ISO-8601 instant or duration, or a terse shorthand: what a person should not have to read on a page. */
    static final java.util.regex.Pattern MACHINE_TIME = java.util.regex.Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}|\\bPT\\d|\\b\\d+h\\d{2}m\\b|\\b\\d+d\\d{2}h\\b");

    /** What a person reads on a page: the text between tags and the hover titles, not the links or the markup. */
    static String readable(String html) {
        return html.replaceAll("(?s)<style>.*?</style>", " ").replaceAll("<[^>]*>", " ");
    }

    @Test
    void theServicePageShowsTheGateItsReasonsThePipelinesAndTheAuditLog() throws Exception {
        String page = chromium(List.of("--dump-dom", base + "/services/checkout-api/view"));
        assertThat(page).contains("<h1>checkout-api</h1>").contains("Release gate: DENY")
                .contains("rule freeze-when-exhausted freeze releases because api-latency: status is EXHAUSTED")
                .contains("<h2>Pipelines</h2>").contains("<h2>What the policy did, and why</h2>")
                .contains("<h2>Deployments: who spent the budget</h2>");
        assertThat(MACHINE_TIME.matcher(readable(page)).find()).as(readable(page)).isFalse();
        Path shots = Files.createDirectories(Path.of("target/screenshots"));
        Path shot = shots.resolve("service-checkout-api.png").toAbsolutePath();
        chromium(List.of("--screenshot=" + shot, base + "/services/checkout-api/view"));
        assertThat(Files.size(shot)).isGreaterThan(10_000);
        for (String path : List.of("/", "/slos/api-availability/view", "/slos/search-timeslices/view",
                "/slos/payments-monthly/view")) {
            String html = get(path).body();
            assertThat(MACHINE_TIME.matcher(readable(html)).find()).as(path + ": " + MACHINE_TIME.matcher(
                    readable(html)).results().map(java.util.regex.MatchResult::group).toList()).isFalse();
        }
    }

    @Test
    void anSloPageDuringTheFastIncidentShowsItOpenOnTheTimeAxisWithTheBurnAboveTheThresholds() throws Exception {
        // the sample month up to 14:30 on 12 Nov, half an hour into the checkout incident
        Path dir2 = Files.createTempDirectory("ebm-incident");
        Path csv = dir2.resolve("to-1430.csv");
        try (java.util.stream.Stream<String> lines = Files.lines(Path.of("../../events/data/sample-30d.csv"))) {
            Files.write(csv, lines.filter(l -> l.startsWith("timestamp") || l.compareTo("2026-11-12T14:30") < 0)
                    .toList());
        }
        try (SqliteBudgetStore during = SqliteBudgetStore.open(dir2.resolve("ebm.db"))) {
            Seeder.seed(during, Path.of("../../events/slos"), csv, Path.of("../../events/policies/default-policy.yaml"),
                    Duration.ofMinutes(15), 0);
            try (LocalServer s = LocalServer.start(new StatusApi(during, (StructuredLog) line -> { },
                    ServeCommands.storeTime(during)), 0)) {
                String url = "http://127.0.0.1:" + s.port() + "/slos/api-availability/view";
                String page = chromium(List.of("--dump-dom", url));
                assertThat(page).contains("<h1>api-availability</h1>").contains("FIRING")
                        .contains("<td>page</td><td>12 Nov 14:05 UTC</td><td>–</td><td>open</td>")
                        .contains("<title>page incident from 12 Nov 14:05 UTC, open at 12 Nov 14:30 UTC")
                        .contains("Burn rate over the last hour").contains("page-1h 14.40x")
                        .contains("Release gate of checkout-api: DENY");
                assertThat(MACHINE_TIME.matcher(readable(page)).find()).as(readable(page)).isFalse();
                Path shot = Files.createDirectories(Path.of("target/screenshots"))
                        .resolve("slo-during-incident.png").toAbsolutePath();
                chromium(List.of("--screenshot=" + shot, url));
                assertThat(Files.size(shot)).isGreaterThan(10_000);
            }
        }
    }
}
