package io.ebm.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands as a user runs them, on the samples in events/. */
class MainTest {

    private static final String SLOS = "../../events/slos";
    private static final String DATA = "../../events/data/sample-30d.csv";
    private static final String POLICY = "../../events/policies/default-policy.yaml";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode sampleReport;

    @TempDir
    Path dir;

    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void evaluateTheSamples() throws IOException {
        Run r = run("evaluate", "--slo", SLOS, "--data", DATA, "--policy", POLICY);
        assertThat(r.err()).isEmpty();
        assertThat(r.status()).isZero();
        sampleReport = JSON.readTree(r.out());
    }

    private static JsonNode slo(String name) {
        for (JsonNode s : sampleReport.get("slos")) {
            if (s.get("name").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no slo " + name);
    }

    @Test
    void theReportHasEveryDocumentedField() {
        assertThat(sampleReport.get("evaluatedAt").asText()).isEqualTo("2026-12-01T00:00:00Z");
        JsonNode api = slo("api-availability");
        for (String field : List.of("name", "service", "target", "budgetingMethod", "window", "sli", "status",
                "budget", "burnRates", "alerts", "timeToExhaustion")) {
            assertThat(api.has(field)).as(field).isTrue();
        }
        for (String field : List.of("total", "consumed", "remaining", "consumedFraction", "remainingFraction",
                "remainingMinutes")) {
            assertThat(api.get("budget").has(field)).as("budget." + field).isTrue();
        }
        List<String> keys = new ArrayList<>();
        api.get("burnRates").fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("5m", "30m", "1h", "2h", "6h", "1d", "3d", "window");
        JsonNode tier = api.get("alerts").get(0);
        for (String field : List.of("tier", "severity", "longWindow", "shortWindow", "factor", "firing")) {
            assertThat(tier.has(field)).as("alerts[]." + field).isTrue();
        }
        assertThat(sampleReport.get("decisions").isArray()).isTrue();
        assertThat(sampleReport.get("gates").isArray()).isTrue();
    }

    @Test
    void theSampleMonthEndsWithTheSlowBurnExhaustedAndTheGateClosed() {
        JsonNode api = slo("api-availability");
        assertThat(api.get("status").asText()).isEqualTo("HEALTHY");
        assertThat(api.get("target").decimalValue()).isEqualByComparingTo("0.999");
        assertThat(api.get("window").asText()).isEqualTo("30d rolling");
        assertThat(api.get("alerts").get(0).get("factor").asDouble()).isEqualTo(14.4);
        // consumed = bad events exactly, and the budget is 0.1% of the events seen
        long good = api.get("events").get("good").asLong();
        long total = api.get("events").get("total").asLong();
        assertThat(api.get("budget").get("consumed").asDouble()).isEqualTo((double) (total - good));
        assertThat(api.get("budget").get("total").asDouble()).isEqualTo(total / 1000.0);

        JsonNode latency = slo("api-latency");
        assertThat(latency.get("status").asText()).isEqualTo("EXHAUSTED");
        assertThat(latency.get("window").asText()).isEqualTo("28d rolling");
        assertThat(latency.get("alerts").get(0).get("factor").asDouble()).isEqualTo(13.44);
        assertThat(latency.get("timeToExhaustion").asText()).isEqualTo("PT0S");
        assertThat(latency.get("alerts").get(3).get("firing").asBoolean()).isTrue(); // ticket-3d: the slow burn

        JsonNode search = slo("search-timeslices");
        assertThat(search.get("budgetingMethod").asText()).isEqualTo("Timeslices");
        assertThat(search.get("budget").get("total").asDouble()).isCloseTo(216.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(search.get("budget").get("remainingMinutes").isNumber()).isTrue();

        JsonNode payments = slo("payments-monthly");
        assertThat(payments.get("windowStart").asText()).isEqualTo("2026-11-01T00:00:00Z");
        assertThat(payments.get("periodMinutes").asLong()).isEqualTo(43_200);
        assertThat(payments.get("alerts")).hasSize(1);
        assertThat(payments.get("alerts").get(0).get("tier").asText()).isEqualTo("payments-fast-burn");

        JsonNode gate = null;
        for (JsonNode g : sampleReport.get("gates")) {
            if (g.get("service").asText().equals("checkout-api")) {
                gate = g;
            }
        }
        assertThat(gate.get("verdict").asText()).isEqualTo("DENY");
        assertThat(gate.get("reasons").get(0).asText()).contains("freeze-when-exhausted").contains("api-latency");
        boolean froze = false;
        for (JsonNode d : sampleReport.get("decisions")) {
            froze |= d.get("action").get("type").asText().equals("freezeReleases")
                    && d.get("slo").asText().equals("api-latency");
        }
        assertThat(froze).isTrue();
    }

    @Test
    void evaluatingMidMonthShowsTheFastIncidentPaging() throws IOException {
        Run r = run("evaluate", "--slo", SLOS, "--data", DATA, "--policy", POLICY, "--at", "2026-11-12T14:30:00Z");
        assertThat(r.status()).isZero();
        JsonNode report = JSON.readTree(r.out());
        JsonNode api = null;
        for (JsonNode s : report.get("slos")) {
            if (s.get("name").asText().equals("api-availability")) {
                api = s;
            }
        }
        assertThat(api.get("alerts").get(0).get("tier").asText()).isEqualTo("page-1h");
        assertThat(api.get("alerts").get(0).get("firing").asBoolean()).isTrue();
        boolean flagOff = false;
        for (JsonNode d : report.get("decisions")) {
            flagOff |= d.get("action").get("type").asText().equals("setFeatureFlag")
                    && !d.get("action").get("enabled").asBoolean();
        }
        assertThat(flagOff).isTrue();
    }

    @Test
    void backfillWithoutTheAwsJarSaysWhereItIs() {
        Run r = run("backfill", "--slo", SLOS, "--from", "2026-11-01T00:00:00Z");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("backfill talks to AWS and needs the AWS SDK, which ebm.jar leaves out: "
                + "run it with infrastructure/local/ebm, which uses infrastructure/local-aws/target/ebm-aws.jar for it");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void textFormatIsATable() {
        Run r = run("evaluate", "--slo", SLOS, "--data", DATA, "--format", "text", "--policy", POLICY);
        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("Evaluated at 1 Dec 00:00 UTC");
        assertThat(r.out()).contains("SLO ").contains("STATUS").contains("api-latency").contains("EXHAUSTED")
                .contains("Release gates").contains("checkout-api: DENY");
    }

    @Test
    void badDataExitsTwoWithOneMessageAndPrintsNothingElse() throws IOException {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "timestamp,slo,good,total\n2026-11-01T00:00:00Z,api-availability,5,10\n"
                + "2026-11-01T00:01:00Z,api-availability,11,10\n");
        Run r = run("evaluate", "--slo", SLOS, "--data", csv.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).isEqualTo(csv + ": line 3: field good: good 11 is greater than total 10 "
                + "(slo api-availability, minute 2026-11-01T00:01:00Z)");
    }

    @Test
    void eachKindOfBadRowIsNamed() throws IOException {
        String[][] cases = {
            {"timestamp,slo,good\n", "line 1: expected the header 'timestamp,slo,good,total'"},
            {"timestamp,slo,good,total\n2026-11-01 00:00,api-availability,1,1\n", "line 2: field timestamp: expected an ISO-8601"},
            {"timestamp,slo,good,total\n2026-11-01T00:00:30Z,api-availability,1,1\n", "line 2: field timestamp: expected the start of a minute"},
            {"timestamp,slo,good,total\n2026-11-01T00:00:00Z,nope,1,1\n", "line 2: field slo: no loaded SLO reads counts named 'nope'"},
            {"timestamp,slo,good,total\n2026-11-01T00:00:00Z,api-availability,-1,1\n", "line 2: field good: expected a count >= 0"},
            {"timestamp,slo,good,total\n2026-11-01T00:00:00Z,api-availability,1,x\n", "line 2: field total: expected a whole number"},
            {"timestamp,slo,good,total\n2026-11-01T00:00:00Z,api-availability,1\n", "line 2: expected 4 fields"},
            {"timestamp,slo,good,total\n2026-11-01T00:00:00Z,api-availability,1,1\n2026-11-01T00:00:00Z,api-availability,1,1\n",
                "line 3: field timestamp: a second row for slo api-availability"},
        };
        for (String[] c : cases) {
            Path csv = dir.resolve("case.csv");
            Files.writeString(csv, c[0]);
            Run r = run("evaluate", "--slo", SLOS, "--data", csv.toString());
            assertThat(r.status()).as(c[1]).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).contains(csv + ": " + c[1]);
        }
    }

    @Test
    void badOptionsAndDefinitionsExitTwo() throws IOException {
        assertThat(run().status()).isEqualTo(2);
        assertThat(run("evaluate", "--slo", SLOS).err()).contains("--data is required");
        assertThat(run("evaluate", "--slo", SLOS, "--data", DATA, "--format", "xml").err()).contains("json or text");
        assertThat(run("evaluate", "--slo", SLOS, "--data", DATA, "--at", "yesterday").err()).contains("--at expects");
        assertThat(run("frobnicate").err()).contains("unknown command 'frobnicate'");
        Path slo = dir.resolve("bad.yaml");
        Files.writeString(slo, Files.readString(Path.of(SLOS, "search.yaml")).replace("target: 0.995", "target: 1"));
        Run r = run("evaluate", "--slo", slo.toString(), "--data", DATA);
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("spec.objectives[0].target").contains("leaves no error budget");
    }

    @Test
    void validateSummarisesEachFileAndSaysWhatCanBeCollected() {
        Run r = run("validate", "--slo", SLOS, "--policy", POLICY);
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("checkout-api.yaml: valid (1 DataSource, 1 SLI, 2 SLO, 1 Service)")
                .contains("api-availability: collected from CloudWatch")
                .contains("payments-monthly: evaluated from exported data only")
                .contains("default-policy.yaml: valid (policy example-policy, 6 rules");
        assertThat(r.out().lines().count()).isEqualTo(4 + 1); // four SLO files and the policy
    }

    @Test
    void validateListsEveryProblemNotOnlyTheFirst() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), Files.readString(Path.of(SLOS, "search.yaml"))
                .replace("target: 0.995", "target: 1").replace("timeSliceTarget: 0.95", "timeSliceTarget: 2"));
        Files.writeString(dir.resolve("b.yaml"), Files.readString(Path.of(SLOS, "payments.yaml"))
                .replace("timeZone: UTC", "timeZone: Nowhere/Land"));
        Run r = run("validate", "--slo", dir.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("3 problems found:");
        assertThat(r.err()).contains("a.yaml: document 1 (SLO search-timeslices): spec.objectives[0].target")
                .contains("spec.objectives[0].timeSliceTarget")
                .contains("b.yaml: document 4 (SLO payments-monthly): spec.timeWindow[0].calendar.timeZone");
    }

    @Test
    void countsThatWouldOverflowAWindowExitTwoNamingTheBucket() throws IOException {
        Path csv = dir.resolve("huge.csv");
        Files.writeString(csv, "timestamp,slo,good,total\n"
                + "2026-11-30T10:00:00Z,api-availability,9223372036854775000,9223372036854775000\n"
                + "2026-11-30T10:01:00Z,api-availability,9223372036854775000,9223372036854775000\n");
        Run r = run("evaluate", "--slo", SLOS, "--data", csv.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).singleElement().asString()
                .startsWith(csv + ": bucket api-availability at 2026-11-30T10:00:00Z: total 9223372036854775000 is more than ");
    }

    @Test
    void aCurrentBurnWindowLongerThanTheHistoryKeptIsAProblemForValidateAndEvaluate() throws IOException {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, Files.readString(Path.of(POLICY))
                .replace("    minimumEvents: 1000\n", "    minimumEvents: 1000\n    currentBurnWindow: 30d\n"));
        for (Run r : List.of(run("validate", "--slo", SLOS, "--policy", policy.toString()),
                run("evaluate", "--slo", SLOS, "--data", DATA, "--policy", policy.toString()))) {
            assertThat(r.status()).isEqualTo(2);
            assertThat(r.err()).contains("currentBurnWindow: expected at most 3d (the history every budget keeps), got 30d")
                    .doesNotContain("Exception");
        }
    }

    @Test
    void aCompositeWithoutWeightsValidatesWithWeightsOfOne() throws IOException {
        Path slo = dir.resolve("journey.yaml");
        Files.writeString(slo, Files.readString(Path.of("../../shared/core/src/test/resources/openslo-forms/valid/"
                + "composite-default-weight.yaml")).replace("      compositeWeight: 2\n", ""));
        Run r = run("validate", "--slo", slo.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("shop-journey: evaluated from exported data only");
    }

    @Test
    void oneFileOfARepositoryValidatesWithItsOutsideReferencesAsWarnings() throws IOException {
        Path slo = dir.resolve("slo.yaml");
        Files.writeString(slo, """
                apiVersion: openslo/v1
                kind: SLO
                metadata: {name: checkout}
                spec:
                  service: checkout
                  indicatorRef: shared-availability
                  budgetingMethod: Occurrences
                  objectives: [{target: 0.99}]
                """);
        Run strict = run("validate", "--slo", slo.toString());
        assertThat(strict.status()).isEqualTo(2);
        assertThat(strict.err()).contains("no SLI named 'shared-availability' is defined").contains("--allow-external-refs");
        Run lenient = run("validate", "--slo", slo.toString(), "--allow-external-refs");
        assertThat(lenient.status()).isZero();
        assertThat(lenient.err()).startsWith("warning: " + slo).contains("taken to be defined elsewhere");
        assertThat(lenient.out()).startsWith(slo + ": valid (1 SLO)");
    }

    @Test
    void everyBadOptionValueExitsTwoWithOneLineNamingTheOption() {
        String[][] cases = {
            {"seed --every abc", "seed: --every expects a duration such as 15m, 1h or 1d, got 'abc'"},
            {"seed --copies abc", "seed: --copies expects a whole number from 0 to 10000, got 'abc'"},
            {"serve --port abc", "serve: --port expects a whole number from 0 to 65535, got 'abc'"},
            {"serve --port 99999", "serve: --port expects a whole number from 0 to 65535, got '99999'"},
            {"sample-data --out /dev/null --days abc", "sample-data: --days expects a whole number from 1 to 3660, got 'abc'"},
            {"sample-data --out /dev/null --days -1", "sample-data: --days expects a whole number from 1 to 3660, got '-1'"},
            {"sample-data --out /dev/null --start soon", "sample-data: --start expects an ISO-8601 instant"},
            {"demo --slos many", "demo: --slos expects a whole number from 1 to 10000, got 'many'"},
            {"demo --every 0m", "demo: --every expects a duration such as 15m, 1h or 1d, got '0m'"},
            {"demo --days 91", "demo: --days expects a whole number from 1 to 90, got '91'"},
            {"demo --lanes 17", "demo: --lanes expects a whole number from 1 to 16, got '17'"},
        };
        for (String[] c : cases) {
            List<String> args = new ArrayList<>(List.of(c[0].split(" ")));
            if (args.get(0).equals("seed")) {
                args.addAll(List.of("--slo", SLOS, "--data", DATA, "--db", dir.resolve("never.db").toString()));
            }
            Run r = run(args.toArray(String[]::new));
            assertThat(r.status()).as(c[0]).isEqualTo(2);
            assertThat(r.err().lines()).as(c[0]).singleElement().asString().startsWith(c[1]);
            assertThat(r.out()).as(c[0]).isEmpty();
        }
        assertThat(dir.resolve("never.db")).doesNotExist();
    }

    @Test
    void everyCommandExplainsItselfWithDefaultsAndAnExample() {
        for (String command : List.of("evaluate", "validate", "series", "replay", "review", "sample-data", "seed",
                "demo", "serve", "backfill")) {
            Run r = run(command, "--help");
            assertThat(r.status()).as(command).isZero();
            assertThat(r.out()).as(command).startsWith("ebm " + command + ": ").contains("example: ");
        }
        assertThat(run("seed", "--help").out()).contains("--every <duration>").contains("1h");
        // the demo's help names every option it takes, with the defaults and bounds it applies
        String demo = run("demo", "--help").out();
        assertThat(demo.lines().filter(l -> l.strip().startsWith("--")).map(l -> l.strip().split("[ =]")[0]))
                .containsExactly("--db", "--out", "--slos", "--days", "--every", "--burning", "--lanes");
        assertThat(demo).containsPattern("--every <duration> .* 1m to 1h +5m\\n")
                .containsPattern("--days N .* 1 to 90 +30\\n").containsPattern("--lanes N .* 1 to 16 +1\\n");
        assertThat(run("--version").out()).startsWith("ebm ");
    }

    @Test
    void replayTellsWhatTwoAlertConfigurationsWouldHaveDoneOverTheSameMonth() throws IOException {
        Path noHold = dir.resolve("no-hold.yaml");
        Files.writeString(noHold, Files.readString(Path.of("../../events/policies/default-policy.yaml"))
                .replace("name: example-policy", "name: no-hold")
                .replace("    resolveMargin: 0.1", "    resolveMargin: 0\n    resolveAfter: 0m"));
        Run r = run("replay", "--slo", "../../events/slos", "--data", DATA, "--policy",
                "../../events/policies/default-policy.yaml", "--compare", noHold.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("replay: 5 SLOs from 1 Nov 00:00 UTC to 1 Dec 00:00 UTC, an evaluation every 5m; "
                        + "policy example-policy (A) against no-hold (B)")
                // without a hold or a margin the noisy time-slice SLO opens twice as often, and flaps
                .containsPattern("search-timeslices +2/4 +4/8 +1/1 +0/1\n")
                .containsPattern("all SLOs +6/8 +11/15 +3/3 +0/1\n")
                .contains("  api-availability                   page   burn    12 Nov 14:05 UTC to 13 Nov 02:40 UTC")
                .contains("  api-availability                   page   burn    12 Nov 14:05 UTC to 12 Nov 20:40 UTC");

        Run json = run("replay", "--slo", "../../events/slos", "--data", DATA, "--policy",
                "../../events/policies/default-policy.yaml", "--format", "json");
        com.fasterxml.jackson.databind.JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(json.out());
        assertThat(root.path("every").asText()).isEqualTo("5m");
        assertThat(root.path("runs").get(0).path("totals").path("notices").asInt()).isEqualTo(11);
        com.fasterxml.jackson.databind.JsonNode api = root.path("runs").get(0).path("budgets").get(0);
        assertThat(api.path("name").asText()).isEqualTo("api-availability");
        assertThat(api.path("incidents").get(0).path("openedAt").asText()).isEqualTo("2026-11-12T14:05:00Z");
        assertThat(api.path("incidents").get(0).path("tiers")).hasSize(4);
    }

    @Test
    void replayRefusesCountsOutOfTimeOrderAndBadOptionsWithOneLine() throws IOException {
        Path csv = dir.resolve("unordered.csv");
        Files.writeString(csv, "timestamp,slo,good,total\n2026-11-01T00:05:00Z,api-availability,10,10\n"
                + "2026-11-01T00:01:00Z,api-latency,10,10\n");
        for (List<String> args : List.of(
                List.of("--data", csv.toString()),
                List.of("--data", DATA, "--every", "90m"),
                List.of("--data", DATA, "--db", dir.resolve("x.db").toString()),
                List.of("--db", dir.resolve("missing.db").toString()),
                List.of("--data", DATA, "--format", "yaml"))) {
            List<String> all = new ArrayList<>(List.of("replay", "--slo", "../../events/slos"));
            all.addAll(args);
            Run r = run(all.toArray(String[]::new));
            assertThat(r.status()).as(args.toString()).isEqualTo(2);
            assertThat(r.err().lines()).as(args.toString()).singleElement().asString().startsWith(
                    args.get(1).equals(csv.toString()) ? csv.toString() : "replay: ");
            assertThat(r.out()).isEmpty();
        }
        assertThat(dir.resolve("missing.db")).doesNotExist();
    }

    @Test
    void replayOverTheStoreFindsTheIncidentsTheCalculatorStored() throws IOException {
        Path db = dir.resolve("demo.db");
        assertThat(run("demo", "--db", db.toString(), "--out", dir.resolve("r.html").toString(), "--days", "6",
                "--slos", "5", "--every", "15m").status()).isZero();
        Run r = run("replay", "--slo", "../../events/slos", "--db", db.toString(), "--policy",
                "../../events/policies/default-policy.yaml", "--every", "15m", "--from", "2026-11-01T00:00:00Z");
        assertThat(r.status()).as(r.err()).isZero();
        try (io.ebm.store.SqliteBudgetStore store = io.ebm.store.SqliteBudgetStore.open(db)) {
            List<io.ebm.core.incident.Incident> stored = store.incidents("search-timeslices",
                    java.time.Instant.parse("2026-11-01T00:00:00Z"), java.time.Instant.parse("2026-11-07T00:00:00Z"));
            assertThat(stored).hasSize(2);
            for (io.ebm.core.incident.Incident i : stored) {
                assertThat(r.out()).contains("search-timeslices                  " + i.severity());
                assertThat(r.out()).contains(io.ebm.core.Human.time(i.openedAt()) + " to "
                        + (i.resolvedAt() == null ? "(open)" : io.ebm.core.Human.time(i.resolvedAt())));
            }
        }
    }

    @Test
    void evaluateWithDeploymentsNamesTheReleaseThatSpentTheBudget() throws IOException {
        Run r = run("evaluate", "--slo", SLOS, "--data", DATA, "--policy", POLICY, "--deployments",
                "../../events/data/sample-deployments.csv", "--format", "text", "--at", "2026-11-12T15:00:00Z");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("Deployments: who spent the budget")
                .contains("checkout-pipeline execution 42 (revision abc123f), landed 12 Nov 13:58 UTC, spent 84.31% of "
                        + "api-availability's budget in its first 1 hour")
                .contains("[release-that-burns] api-availability: notify release-managers")
                .contains("because api-availability: checkout-pipeline execution 42 (revision abc123f, landed at 12 Nov "
                        + "13:58 UTC) spent 84.31% of the budget within 1 hour of landing, more than 10%");
        Run json = run("evaluate", "--slo", SLOS, "--data", DATA, "--policy", POLICY, "--deployments",
                "../../events/data/sample-deployments.csv", "--at", "2026-11-12T15:00:00Z");
        com.fasterxml.jackson.databind.JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
        assertThat(root.path("ledger")).isNotEmpty();
        assertThat(root.path("slos").get(0).path("deployment").path("execution").asText()).isEqualTo("42");

        Path bad = dir.resolve("deployments.csv");
        for (String[] c : new String[][] {
            {"timestamp,service,pipeline,execution\n", ":1: expected the header"},
            {DeploymentsCsv.HEADER + "\nsoon,checkout-api,p,1,\n", ":2: timestamp: expected an ISO-8601 instant"},
            {DeploymentsCsv.HEADER + "\n2026-11-12T13:58:00Z,nobody,p,1,\n", ":2: service: no SLO belongs to 'nobody'"},
            {DeploymentsCsv.HEADER + "\n2026-11-12T13:58:00Z,checkout-api,,1,\n", ":2: pipeline: required"},
            {DeploymentsCsv.HEADER + "\n2026-11-12T13:58:00Z,checkout-api,p,1,x\n2026-11-12T14:58:00Z,checkout-api,p,1,y\n",
                ":3: execution 1 of p is listed twice"}}) {
            Files.writeString(bad, c[0]);
            Run e = run("evaluate", "--slo", SLOS, "--data", DATA, "--deployments", bad.toString());
            assertThat(e.status()).as(c[1]).isEqualTo(2);
            assertThat(e.err().lines()).as(c[1]).singleElement().asString().startsWith(bad + c[1]);
            assertThat(e.out()).isEmpty();
        }
    }

    @Test
    void reviewHoldsEachTargetAgainstTheMonthAndPrintsTheChange() throws IOException {
        Run r = run("review", "--slo", SLOS, "--data", DATA, "--policy", POLICY);
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("api-availability (checkout-api, target 0.999)\n")
                .containsPattern("  2026-11 +99\\.9374% +62\\.56% +1\n")
                .contains("  keep: 63% to 63% of the budget spent over the one complete month, 1 page: the target fits")
                .contains("payments-monthly (payments, target 0.9995)");
        Run json = run("review", "--slo", SLOS, "--data", DATA, "--policy", POLICY, "--format", "json");
        com.fasterxml.jackson.databind.JsonNode first = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(json.out()).get(0);
        assertThat(first.path("months").get(0).path("month").asText()).isEqualTo("2026-11");
        assertThat(first.path("months").get(0).path("complete").asBoolean()).isTrue();
        assertThat(first.path("suggestion").path("kind").asText()).isEqualTo("KEEP");
        Run both = run("review", "--slo", SLOS, "--data", DATA, "--db", dir.resolve("x.db").toString());
        assertThat(both.status()).isEqualTo(2);
        assertThat(both.err()).startsWith("review: give exactly one of --data <csv> and --db <file>");
    }

    @Test
    void aSeedWithABadRowWritesNothing() throws IOException {
        Path csv = dir.resolve("bad.csv");
        List<String> lines = Files.readAllLines(Path.of(DATA)).subList(0, 5000);
        List<String> withBad = new ArrayList<>(lines);
        withBad.add("2026-11-04T00:00:00Z,api-availability,10,5");
        Files.write(csv, withBad);
        Path db = dir.resolve("seed.db");
        Run r = run("seed", "--slo", SLOS, "--data", csv.toString(), "--db", db.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("good 10 is greater than total 5");
        try (io.ebm.store.SqliteBudgetStore store = io.ebm.store.SqliteBudgetStore.open(db)) {
            assertThat(store.definitions()).isEmpty();
            assertThat(store.latestSnapshot("api-availability")).isEmpty();
        }
        // the same rows without the bad one are seeded whole, one definition per file
        Files.write(csv, lines);
        Run ok = run("seed", "--slo", SLOS, "--data", csv.toString(), "--db", db.toString());
        assertThat(ok.status()).as(ok.err()).isZero();
        try (io.ebm.store.SqliteBudgetStore store = io.ebm.store.SqliteBudgetStore.open(db)) {
            assertThat(store.definitions()).extracting(io.ebm.core.store.Definition::name)
                    .containsExactlyInAnyOrder("checkout-api.yaml", "checkout-journey.yaml", "payments.yaml", "search.yaml");
        }
    }

    @Test
    void aFileFarLargerThanTheHeapIsStreamed() throws Exception {
        // 2 million rows (about 90 MB) evaluated in a JVM of 64 MB of heap: memory follows the SLOs, not the file
        Path csv = dir.resolve("years.csv");
        long start = java.time.Instant.parse("2023-01-01T00:00:00Z").getEpochSecond() / 60;
        try (java.io.BufferedWriter w = Files.newBufferedWriter(csv)) {
            w.write("timestamp,slo,good,total\n");
            for (long m = start; m < start + 2_000_000; m++) {
                w.write(java.time.Instant.ofEpochSecond(m * 60).toString());
                w.write(m % 1000 == 0 ? ",api-availability,990,1000\n" : ",api-availability,1000,1000\n");
            }
        }
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), "io.ebm.local.Main", "evaluate", "--slo", SLOS,
                "--data", csv.toString(), "--format", "json").redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(err).isZero();
        JsonNode report = JSON.readTree(out);
        JsonNode api = null;
        for (JsonNode s : report.get("slos")) {
            if (s.get("name").asText().equals("api-availability")) {
                api = s;
            }
        }
        assertThat(report.get("evaluatedAt").asText()).isEqualTo(
                java.time.Instant.ofEpochSecond((start + 2_000_000) * 60).toString());
        assertThat(api.get("events").get("total").asLong()).isEqualTo(30L * 1440 * 1000);
    }

    @Test
    void eachSeriesRowIsWhatEvaluateSaysAtThatInstant() throws IOException {
        Path out = dir.resolve("series.csv");
        Run r = run("series", "--slo", SLOS, "--data", DATA, "--policy", POLICY, "--out", out.toString(),
                "--from", "2026-11-12T14:00:00Z", "--to", "2026-11-12T15:00:00Z", "--every", "20m");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("wrote 15 rows (5 SLOs, 3 steps of 20m) to " + out + "\n");
        List<String> lines = Files.readAllLines(out);
        assertThat(lines.get(0)).isEqualTo("timestamp,slo,status,sli,budget_remaining,burn_5m,burn_30m,burn_1h,"
                + "burn_2h,burn_6h,burn_1d,burn_3d,burn_window");
        assertThat(lines).hasSize(16);
        for (String at : List.of("2026-11-12T14:00:00Z", "2026-11-12T14:20:00Z", "2026-11-12T14:40:00Z")) {
            JsonNode report = JSON.readTree(run("evaluate", "--slo", SLOS, "--data", DATA, "--policy", POLICY,
                    "--at", at).out());
            for (JsonNode s : report.get("slos")) {
                String row = lines.stream().filter(l -> l.startsWith(at + "," + s.get("name").asText() + ","))
                        .findFirst().orElseThrow();
                String[] f = row.split(",", -1);
                assertThat(f[2]).isEqualTo(s.get("status").asText());
                assertThat(Double.parseDouble(f[3])).isEqualTo(s.get("sli").asDouble());
                assertThat(Double.parseDouble(f[6])).as(row).isEqualTo(s.get("burnRates").get("30m").asDouble());
                assertThat(Double.parseDouble(f[12])).as(row).isEqualTo(s.get("burnRates").get("window").asDouble());
            }
        }
        // the 12 Nov fast incident is in the short windows
        assertThat(lines.stream().filter(l -> l.startsWith("2026-11-12T14:40:00Z,api-availability,")).findFirst()
                .orElseThrow().split(",")[5]).satisfies(v -> assertThat(Double.parseDouble(v)).isGreaterThan(14.4));
    }

    @Test
    void aSeriesOfABadFileLeavesNothingBehind() throws IOException {
        Path csv = dir.resolve("bad-series.csv");
        Files.writeString(csv, "timestamp,slo,good,total\n2026-11-01T00:00:00Z,api-availability,5,10\n"
                + "2026-11-01T00:01:00Z,api-availability,11,10\n");
        Path out = dir.resolve("never.csv");
        Run r = run("series", "--slo", SLOS, "--data", csv.toString(), "--out", out.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo(csv + ": line 3: field good: good 11 is greater than total 10 "
                + "(slo api-availability, minute 2026-11-01T00:01:00Z)");
        assertThat(out).doesNotExist();
        assertThat(dir.resolve("never.csv.partial")).doesNotExist();
        assertThat(run("series", "--slo", SLOS, "--data", csv.toString()).err())
                .contains("series: option --out is required");
    }

    @Test
    void rowsOutOfTimeOrderAreNamed() throws IOException {
        Path csv = dir.resolve("unsorted.csv");
        Files.writeString(csv, "timestamp,slo,good,total\n2026-11-30T10:01:00Z,api-availability,1,1\n"
                + "2026-11-30T10:00:00Z,api-availability,1,1\n");
        Run r = run("evaluate", "--slo", SLOS, "--data", csv.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains(csv + ": line 3: field timestamp: rows of slo api-availability out of time order");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "seed {0}")
    @org.junit.jupiter.params.provider.ValueSource(longs = {1, 2})
    void randomCsvFilesExitZeroOrTwoWithoutAStackTrace(long seed) throws IOException {
        java.util.Random r = new java.util.Random(seed);
        String[] fields = {"2026-11-30T10:00:00Z", "2026-11-30T10:00:30Z", "2026-11-30T10:01:00Z", "yesterday",
            "search-timeslices", "api-availability", "nope", "", "-1", "0", "7", "99", "100", "9".repeat(25),
            "9223372036854775807", "1e3", " 5", "x,y", "\"q\"", "\uFEFF"};
        Path slo = Path.of(SLOS, "search.yaml");
        for (int i = 0; i < 150; i++) {
            StringBuilder csv = new StringBuilder(r.nextInt(10) == 0 ? "time,slo,good,total\n" : csvHeader());
            int rows = r.nextInt(6);
            for (int k = 0; k < rows; k++) {
                int n = r.nextInt(10) == 0 ? 3 + r.nextInt(3) : 4;
                for (int f = 0; f < n; f++) {
                    csv.append(f > 0 ? "," : "").append(fields[r.nextInt(fields.length)]);
                }
                csv.append('\n');
            }
            Path file = dir.resolve("fuzz-" + i + ".csv");
            Files.writeString(file, csv.toString());
            Run run = r.nextBoolean() ? run("evaluate", "--slo", slo.toString(), "--data", file.toString())
                    : run("evaluate", "--slo", slo.toString(), "--data", file.toString(), "--at", "2026-11-30T11:00:00Z");
            assertThat(run.status()).as("%s: %s", csv, run.err()).isIn(0, 2);
            assertThat(run.err()).as(csv.toString()).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    private static String csvHeader() {
        return CountsCsv.HEADER + "\n";
    }
}
