package io.ebm.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebm.core.store.SnapshotRecord;
import io.ebm.store.SqliteBudgetStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo} as a user runs it, shortened to the first 13 days (the checkout incident is on day 12). */
class DemoCommandTest {

    @TempDir
    static Path dir;

    private static MainTest.Run run;

    @BeforeAll
    static void replayThirteenDays() throws IOException {
        Files.writeString(dir.resolve("demo.db"), "an earlier store");
        run = MainTest.run("demo", "--db", dir.resolve("demo.db").toString(), "--out",
                dir.resolve("report.html").toString(), "--days", "13", "--slos", "12", "--every", "15m");
    }

    @Test
    void theFastIncidentPagesOnceForBothSlosOfTheSharedLoadBalancerAndResolvesOnce() {
        assertThat(run.status()).as(run.out() + run.err()).isZero();
        // one incident per SLO (four tiers fired), grouped by the metric they share: two notices in all
        assertThat(run.out()).contains("Alerts (6 notices)")
                .contains("  11-12 14:15  FIRING    page   api-availability + checkout-journey page-1h\n")
                .contains("  11-13 02:45  RESOLVED  page   api-availability + checkout-journey page-1h\n");
        assertThat(run.out().lines().filter(l -> l.contains("api-availability")
                && l.matches("^  11-\\d\\d \\d\\d:\\d\\d  (FIRING|ESCALATED|RESOLVED) .*"))).hasSize(2);
    }

    @Test
    void theSummaryCountsIncidentsNoticesPagesAndFlapsAndTimesTheDetection() {
        assertThat(run.out())
                .containsPattern("api-availability +checkout-api +EXHAUSTED +-?[0-9.]+% +1 +2 +1 +0 +\\d+\n")
                .containsPattern("search-timeslices +search +\\w+ +-?[0-9.]+% +2 +4 +1 +0 +\\d+\n")
                .containsPattern("all SLOs +4 +8 +3 +0\n")
                .containsPattern("api-availability +fast incident +11-12 14:00 +11-12 14:15 +15 minutes\n")
                .containsPattern("payments-monthly +maintenance \\(excluded by the policy\\) +11-10 02:00 +not notified "
                        + "+none, as expected\n");
    }

    @Test
    void thePolicyTurnsTheRiskyFlagOffAndFreezesTheCheckoutPipeline() {
        assertThat(run.out())
                // at the tick of the page itself: the policy reconciles every tick, not on status changes only
                .contains("11-12 14:15  flag checkout-new-recommendations turned off: Error budget policy rule "
                        + "page-turns-off-risky-features: api-availability: page alert page-1h firing")
                .contains("11-12 14:15  releases frozen: checkout-pipeline stage Production")
                .containsPattern("checkout-pipeline / Production +\\d+ +\\d+ +\\d+ +0\\n")
                .containsPattern("11-12 16:00\\.\\.11-13 16:00  3 of 26 production approvals of checkout-api-pipeline "
                        + "rejected; first: rule freeze-when-exhausted");
    }

    @Test
    void theLedgerNamesTheReleaseThatSpentTheBudget() {
        assertThat(run.out()).contains("Deployments: who spent the budget")
                .containsPattern("checkout-api-pipeline execution \\d+ \\(revision abc123f, Production at 12 Nov 13:58 "
                        + "UTC\\) spent [0-9.]+% of api-availability's budget in its first 1 hour; the previous one "
                        + "spent [0-9.]+% in 3 hours 58 minutes");
    }

    @Test
    void theSummaryHasEveryBudgetAndTheFigures() {
        assertThat(run.out()).containsPattern("api-availability +checkout-api +EXHAUSTED")
                .contains("replayed 13 days x 12 SLOs (1,248 ticks, 14,976 budget evaluations");
        assertThat(run.out().lines().filter(l -> l.matches("^[a-z].* (HEALTHY|WARNING|EXHAUSTED|NO_DATA) .*")))
                .hasSize(12);
        // not a terminal: one line a day, no carriage returns in a log
        assertThat(run.err()).doesNotContain("\r").contains("replayed day 1 of 13\n").contains("replayed day 13 of 13\n");
        java.io.ByteArrayOutputStream bar = new java.io.ByteArrayOutputStream();
        DemoCommand.ProgressBar onTerminal = new DemoCommand.ProgressBar(new java.io.PrintStream(bar, true), true);
        onTerminal.day(1, 2);
        onTerminal.day(2, 2);
        assertThat(bar.toString()).isEqualTo("\rreplaying [###############...............] day 1/2"
                + "\rreplaying [##############################] day 2/2" + System.lineSeparator());
    }

    @Test
    void theStoreHoldsTheMonthAndTheEarlierFileIsKept() throws IOException {
        assertThat(Files.readString(dir.resolve("demo.db.bak"))).isEqualTo("an earlier store");
        try (SqliteBudgetStore store = SqliteBudgetStore.open(dir.resolve("demo.db"))) {
            SnapshotRecord latest = store.latestSnapshot("api-availability").orElseThrow();
            assertThat(latest.evaluatedAt()).isEqualTo(Instant.parse("2026-11-14T00:00:00Z"));
            assertThat(store.definitions()).hasSize(6); // four sample files, the generated one, the policy
            assertThat(store.snapshotHistory("api-availability", Instant.parse("2026-11-12T00:00:00Z"),
                    Instant.parse("2026-11-13T00:00:00Z")).size()).isBetween(24, 40);
            assertThat(store.audit("checkout-api", Instant.parse("2026-11-12T14:00:00Z"),
                    Instant.parse("2026-11-12T15:00:00Z"))).isNotEmpty();
        }
    }

    @Test
    void theReportIsTheDashboard() throws IOException {
        String html = Files.readString(dir.resolve("report.html"));
        assertThat(html).startsWith("<!doctype html>").contains("api-availability").contains("payments-monthly")
                .contains("src=\"data:image/svg+xml;base64,").doesNotContain("src=\"/slos/")
                .contains("href=\"http://127.0.0.1:8080/slos/api-availability/view\"");
    }

    /**
     * The output without what is measured: the timings, and the cost (its Lambda time is measured, and each lane
     * reads the confirmations once a run, as each shard does).
     */
    private static String withoutTimings(String out) {
        String priced = out.contains("Cost of a 30-day month") ? out.substring(0, out.indexOf("Cost of a 30-day month"))
                + out.substring(out.indexOf("fixed per stack")) : out;
        return priced.lines().filter(l -> !l.startsWith("replayed ") && !l.startsWith("store: ")
                && !l.startsWith("next: ") && !l.startsWith("demo: the existing store")).toList().toString();
    }

    @Test
    void theMonthIsPricedFromWhatTheFunctionsAskedFor() {
        String cost = run.out().substring(run.out().indexOf("Cost of a 30-day month"));
        assertThat(cost).startsWith("Cost of a 30-day month at AWS prices, per SLO (fleet of 12,");
        // 2,880 ticks of 15 minutes in 30 days, two metrics an SLO on average (the composite reads four, the
        // Prometheus SLO none): 5,760 metrics, $0.0576
        String row = cost.lines().filter(l -> l.startsWith("every 15m ")).findFirst().orElseThrow();
        String[] f = row.trim().split("\\s+");
        assertThat(f[2]).isEqualTo("5,760");
        assertThat(Long.parseLong(f[3].replace(",", ""))).as("write units").isBetween(5_000L, 20_000L);
        assertThat(Long.parseLong(f[4].replace(",", ""))).as("read units").isBetween(10_000L, 50_000L);
        assertThat(Double.parseDouble(f[7].substring(1))).as("per SLO").isBetween(0.06, 0.09);
        assertThat(cost.lines().skip(3).findFirst().orElseThrow().trim()).startsWith("$0.0576");
    }

    @Test
    void theOutputDoesNotDependOnTheNumberOfLanes() {
        MainTest.Run one = MainTest.run("demo", "--db", dir.resolve("one.db").toString(), "--out",
                dir.resolve("one.html").toString(), "--days", "13", "--slos", "12", "--every", "15m", "--lanes", "1");
        MainTest.Run three = MainTest.run("demo", "--db", dir.resolve("three.db").toString(), "--out",
                dir.resolve("three.html").toString(), "--days", "13", "--slos", "12", "--every", "15m", "--lanes", "3");
        assertThat(one.status()).isZero();
        assertThat(withoutTimings(one.out())).isEqualTo(withoutTimings(run.out()));
        assertThat(withoutTimings(three.out())).isEqualTo(withoutTimings(run.out()));
    }

    @Test
    void badOptionsSayWhatWasExpected() {
        MainTest.Run every = MainTest.run("demo", "--every", "90m", "--db", dir.resolve("x.db").toString());
        assertThat(every.status()).isEqualTo(2);
        assertThat(every.err()).contains("--every must be whole minutes from 1m to 1h");
        MainTest.Run slos = MainTest.run("demo", "--slos", "3", "--db", dir.resolve("x.db").toString());
        assertThat(slos.status()).isEqualTo(2);
        assertThat(slos.err()).contains("at least the 5 sample SLOs");
        assertThat(dir.resolve("x.db")).doesNotExist();
    }
}
