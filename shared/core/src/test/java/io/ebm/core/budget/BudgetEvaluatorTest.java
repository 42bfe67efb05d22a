package io.ebm.core.budget;

import static io.ebm.core.TestSlos.component;
import static io.ebm.core.TestSlos.slo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ebm.core.TestSlos;
import io.ebm.core.alert.AlertTier;
import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.slo.BudgetingMethod;
import io.ebm.core.slo.CalendarWindow;
import io.ebm.core.slo.DurationShorthand;
import io.ebm.core.slo.Objective;
import io.ebm.core.slo.RollingWindow;
import io.ebm.core.slo.Slo;
import io.ebm.core.slo.TimeWindow;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The evaluator against the numbers the SRE Workbook and slo-math.md publish. */
class BudgetEvaluatorTest {

    private static final Instant AT = Instant.parse("2026-12-01T00:00:00Z");
    private static final long AT_MIN = AT.getEpochSecond() / 60;
    private static final TimeWindow D30 = new RollingWindow(DurationShorthand.parse("30d"));
    private static final TimeWindow D28 = new RollingWindow(DurationShorthand.parse("28d"));

    private static BudgetEvaluator evaluator(Slo slo) {
        return new BudgetEvaluator(BudgetSpec.of(slo, AlertTier.WORKBOOK_DEFAULTS).get(0));
    }

    private static Snapshot snap(BudgetEvaluator e) {
        return e.snapshot(AT, EvaluationSettings.DEFAULTS);
    }

    private static Snapshot.TierResult tier(Snapshot s, String name) {
        return s.alerts().stream().filter(a -> a.tier().name().equals(name)).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "{1} requests at {0}: {2} allowed failures")
    @CsvSource({
        // WB2 Table 2-4 (the Workbook floors these for display) and the EBP's 1,000,000 at 99.9%
        "0.97, 3663253, 109897.59",
        "0.9, 3663253, 366325.3",
        "0.99, 3663253, 36632.53",
        "0.999, 1000000, 1000"})
    void budgetIsOneMinusTargetTimesEvents(String target, long events, String allowed) {
        BudgetEvaluator e = evaluator(slo("s", D28, BudgetingMethod.OCCURRENCES, target));
        e.add("s", AT_MIN - 10, new MinuteCounts(events, events));
        Snapshot s = snap(e);
        assertThat(s.budgetTotal()).isEqualByComparingTo(allowed);
        assertThat(s.budgetConsumed()).isEqualByComparingTo("0");
        assertThat(s.status()).isEqualTo(BudgetStatus.HEALTHY);
    }

    @Test
    void anOutageOf1500ErrorsCostsHalfOfA3000ErrorBudget() {
        // WB2: 3 million requests over four weeks at 99.9%, a single outage of 1,500 errors
        BudgetEvaluator e = evaluator(slo("s", D28, BudgetingMethod.OCCURRENCES, "0.999"));
        e.add("s", AT_MIN - 1000, new MinuteCounts(1_500_000, 1_500_000));
        e.add("s", AT_MIN - 500, new MinuteCounts(1_498_500, 1_500_000));
        Snapshot s = snap(e);
        assertThat(s.budgetTotal()).isEqualByComparingTo("3000");
        assertThat(s.consumedFraction()).isEqualTo(0.5);
        assertThat(s.remainingFraction()).isEqualTo(0.5);
        assertThat(s.sli()).isCloseTo(0.9995, within(1e-12));
    }

    @Test
    void exactlyAllOfTheBudgetIsNotExceededButOneMoreErrorIs() {
        // EBP: freeze only when the budget is exceeded; consumed == 100% means SLI == target
        BudgetEvaluator e = evaluator(slo("s", D30, BudgetingMethod.OCCURRENCES, "0.999"));
        e.add("s", AT_MIN - 100, new MinuteCounts(999_000, 1_000_000));
        Snapshot atLimit = snap(e);
        assertThat(atLimit.consumedFraction()).isEqualTo(1.0);
        assertThat(atLimit.status()).isEqualTo(BudgetStatus.WARNING);
        assertThat(atLimit.timeToExhaustion()).isEqualTo(Duration.ZERO);

        BudgetEvaluator over = evaluator(slo("s", D30, BudgetingMethod.OCCURRENCES, "0.999"));
        over.add("s", AT_MIN - 100, new MinuteCounts(998_999, 1_000_000));
        assertThat(snap(over).status()).isEqualTo(BudgetStatus.EXHAUSTED);
        assertThat(snap(over).statusReason()).contains("exceeded");
    }

    @Test
    void warningBelowTheRemainingThresholdIsStrict() {
        BudgetEvaluator e = evaluator(slo("s", D30, BudgetingMethod.OCCURRENCES, "0.99"));
        e.add("s", AT_MIN - 100, new MinuteCounts(99_250, 100_000)); // 750 of 1,000 bad: exactly 25% left
        assertThat(snap(e).status()).isEqualTo(BudgetStatus.HEALTHY);
        e.add("s", AT_MIN - 99, new MinuteCounts(0, 1)); // one more bad event
        assertThat(snap(e).status()).isEqualTo(BudgetStatus.WARNING);
        assertThat(snap(e).statusReason()).contains("below the warning threshold 25%");
    }

    @Test
    void factorsFollowFromTheSloWindow() {
        List<AlertTier> tiers = AlertTier.WORKBOOK_DEFAULTS;
        assertThat(tiers.get(0).thresholdFor(43_200).value()).isEqualTo(14.4);
        assertThat(tiers.get(1).thresholdFor(43_200).value()).isEqualTo(6.0);
        assertThat(tiers.get(2).thresholdFor(43_200).value()).isEqualTo(3.0);
        assertThat(tiers.get(3).thresholdFor(43_200).value()).isEqualTo(1.0);
        assertThat(tiers.get(0).thresholdFor(40_320).value()).isEqualTo(13.44);
        assertThat(tiers.get(1).thresholdFor(40_320).value()).isEqualTo(5.6);
        assertThat(tiers.get(3).thresholdFor(40_320).value()).isCloseTo(0.93333333333, within(1e-10));
    }

    @Test
    void aBurnRateExactlyAtTheThresholdDoesNotFireAndOneMoreErrorDoes() {
        // 10,000 requests a minute, 144 bad: e = 1.44% = 14.4 × 0.1% exactly, on both windows
        BudgetEvaluator e = evaluator(slo("s", D30, BudgetingMethod.OCCURRENCES, "0.999"));
        for (long m = AT_MIN - 60; m < AT_MIN - 1; m++) {
            e.add("s", m, new MinuteCounts(10_000 - 144, 10_000));
        }
        e.add("s", AT_MIN - 1, new MinuteCounts(10_000 - 144, 10_000));
        Snapshot at = snap(e);
        assertThat(tier(at, "page-1h").longBurnRate()).isCloseTo(14.4, within(1e-9));
        assertThat(tier(at, "page-1h").firing()).isFalse();

        BudgetEvaluator above = evaluator(slo("s", D30, BudgetingMethod.OCCURRENCES, "0.999"));
        for (long m = AT_MIN - 60; m < AT_MIN - 1; m++) {
            above.add("s", m, new MinuteCounts(10_000 - 144, 10_000));
        }
        above.add("s", AT_MIN - 1, new MinuteCounts(10_000 - 145, 10_000));
        assertThat(tier(snap(above), "page-1h").firing()).isTrue();
    }

    @Test
    void theShortWindowStopsTheAlertSoonAfterTheErrorsStop() {
        // a 20-minute total outage that ended 10 minutes ago: the 1h window still burns, the 5m window does not
        BudgetEvaluator e = evaluator(slo("s", D30, BudgetingMethod.OCCURRENCES, "0.999"));
        for (long m = AT_MIN - 60; m < AT_MIN; m++) {
            boolean outage = m >= AT_MIN - 30 && m < AT_MIN - 10;
            e.add("s", m, new MinuteCounts(outage ? 0 : 1000, 1000));
        }
        Snapshot s = snap(e);
        assertThat(tier(s, "page-1h").longBurnRate()).isGreaterThan(14.4);
        assertThat(tier(s, "page-1h").shortBurnRate()).isZero();
        assertThat(tier(s, "page-1h").firing()).isFalse();
    }

    @ParameterizedTest(name = "burn rate {0}: budget gone in {1}")
    @CsvSource({"1, PT720H", "2, PT360H", "10, PT72H", "1000, PT43M12S", "14.4, PT50H"})
    void timeToExhaustionMatchesWorkbookTable5_4(double burn, String expected) {
        assertThat(BudgetMath.timeToExhaustion(1.0, 43_200, burn)).isEqualTo(Duration.parse(expected));
    }

    @Test
    void timeToExhaustionUsesTheRemainingBudgetAndTheLastHoursBurn() {
        BudgetEvaluator e = evaluator(slo("s", D30, BudgetingMethod.OCCURRENCES, "0.999"));
        e.add("s", AT_MIN - 20_000, new MinuteCounts(9_995_000, 10_000_000)); // half the budget spent long ago
        for (long m = AT_MIN - 60; m < AT_MIN; m++) {
            e.add("s", m, new MinuteCounts(998, 1000)); // burn rate 2 over the last hour
        }
        Snapshot s = snap(e);
        assertThat(s.burnRates().get("1h")).isCloseTo(2.0, within(1e-12));
        // remaining (10,060 − 5,120) / 10,060 of 30 days at burn 2
        double remaining = (10_060.0 - 5_120.0) / 10_060.0;
        assertThat(s.timeToExhaustion().getSeconds())
                .isEqualTo(Math.round(remaining * 43_200 * 60 / 2.0));
    }

    @Test
    void lowTrafficOneFailureIsAHundredfoldBurnNotAThousandfold() {
        // WB5 low-traffic example (with its 1,000x erratum, slo-math §3.1): 10 requests an hour for 30 days
        BudgetEvaluator e = evaluator(slo("s", D30, BudgetingMethod.OCCURRENCES, "0.999"));
        for (long h = 0; h < 720; h++) {
            long m = AT_MIN - 43_200 + h * 60;
            e.add("s", m, new MinuteCounts(h == 719 ? 9 : 10, 10));
        }
        Snapshot s = snap(e);
        assertThat(s.burnRates().get("1h")).isCloseTo(100.0, within(1e-9));
        assertThat(s.budgetTotal()).isEqualByComparingTo("7.2");
        assertThat(s.consumedFraction()).isCloseTo(0.1389, within(1e-4));
        assertThat(tier(s, "page-1h").firing()).isFalse(); // the 5m window saw no request: NO_DATA never fires
    }

    @Test
    void aNinetyPercentTargetCanNeverFireTheFastPage() {
        // WB5: a 100% outage burns at 10x, consuming 1.4% in that hour; 14.4x is out of reach
        BudgetEvaluator e = evaluator(slo("s", D30, BudgetingMethod.OCCURRENCES, "0.9"));
        for (long m = AT_MIN - 43_200; m < AT_MIN - 60; m += 60) {
            e.add("s", m, new MinuteCounts(60_000, 60_000));
        }
        for (long m = AT_MIN - 60; m < AT_MIN; m++) {
            e.add("s", m, new MinuteCounts(0, 1000));
        }
        Snapshot s = snap(e);
        assertThat(s.burnRates().get("1h")).isCloseTo(10.0, within(1e-12));
        assertThat(tier(s, "page-1h").firing()).isFalse();
        assertThat(s.consumedFraction()).isCloseTo(60_000.0 / (0.1 * (719 * 60_000 + 60_000)), within(1e-9));
    }

    @Test
    void timesliceWorkedExampleOfOneDay() {
        // slo-math §5.3: 99.9% of 1-minute slices, timeSliceTarget 0.99, one day
        Slo daily = slo("s", new RollingWindow(DurationShorthand.parse("1d")), BudgetingMethod.TIMESLICES, "0.999",
                "0.99", "1m");
        BudgetEvaluator e = evaluator(daily);
        long start = AT_MIN - 1440;
        for (int i = 0; i < 1436; i++) {
            e.add("s", start + i, new MinuteCounts(995, 1000));
        }
        e.add("s", start + 1436, new MinuteCounts(990, 1000)); // exactly at the target: good
        e.add("s", start + 1437, new MinuteCounts(950, 1000));
        e.add("s", start + 1438, new MinuteCounts(500, 1000));
        e.add("s", start + 1439, new MinuteCounts(0, 1000));
        Snapshot s = snap(e);
        assertThat(s.sli()).isCloseTo(1437.0 / 1440, within(1e-12));
        assertThat(s.budgetUnit()).isEqualTo("minutes");
        assertThat(s.budgetTotal()).isEqualByComparingTo("1.44");
        assertThat(s.budgetConsumed()).isEqualByComparingTo("3");
        assertThat(s.consumedFraction()).isCloseTo(2.0833, within(1e-4));
        assertThat(s.status()).isEqualTo(BudgetStatus.EXHAUSTED);
    }

    @Test
    void timesliceBudgetOverThirtyDaysIs43Point2Minutes() {
        BudgetEvaluator e = evaluator(slo("s", D30, BudgetingMethod.TIMESLICES, "0.999", "0.99", "1m"));
        for (long m = AT_MIN - 43_200; m < AT_MIN; m++) {
            boolean bad = m >= AT_MIN - 1000 && m < AT_MIN - 980;
            e.add("s", m, new MinuteCounts(bad ? 0 : 100, 100));
        }
        Snapshot s = snap(e);
        assertThat(s.budgetTotal()).isEqualByComparingTo("43.2");
        assertThat(s.remainingMinutes()).isCloseTo(23.2, within(1e-9));
        assertThat(s.remainingFraction()).isCloseTo(0.5370, within(1e-4));
    }

    @Test
    void theThreeBudgetingMethodsOnTheSameFourSlices() {
        // slo-math §5.3: (100,100) (100,100) (1,2) (900,1000)
        long[][] data = {{100, 100}, {100, 100}, {1, 2}, {900, 1000}};
        double[] expected = {1101.0 / 1202, 0.5, 0.85};
        BudgetingMethod[] methods = {BudgetingMethod.OCCURRENCES, BudgetingMethod.TIMESLICES,
                BudgetingMethod.RATIO_TIMESLICES};
        for (int k = 0; k < 3; k++) {
            BudgetEvaluator e = evaluator(slo("s", D30, methods[k], "0.5", "0.95", "1m"));
            for (int i = 0; i < 4; i++) {
                e.add("s", AT_MIN - 4 + i, new MinuteCounts(data[i][0], data[i][1]));
            }
            assertThat(snap(e).sli()).as(methods[k].name()).isCloseTo(expected[k], within(1e-9));
        }
    }

    @Test
    void noTrafficIsNoDataAndNeverFires() {
        BudgetEvaluator e = evaluator(slo("s", D30, BudgetingMethod.OCCURRENCES, "0.999"));
        e.add("s", AT_MIN - 5, new MinuteCounts(0, 0));
        Snapshot s = snap(e);
        assertThat(s.status()).isEqualTo(BudgetStatus.NO_DATA);
        assertThat(s.sli()).isNull();
        assertThat(s.burnRates().values()).containsOnlyNulls();
        assertThat(s.alerts()).noneMatch(Snapshot.TierResult::firing);
        assertThat(s.timeToExhaustion()).isNull();
        assertThat(s.consumedFraction()).isNull();
    }

    @Test
    void fewerEventsThanTheMinimumIsInsufficientTraffic() {
        BudgetEvaluator e = evaluator(slo("s", D30, BudgetingMethod.OCCURRENCES, "0.999"));
        e.add("s", AT_MIN - 5, new MinuteCounts(0, 99));
        EvaluationSettings settings = new EvaluationSettings(new BigDecimal("0.25"), 100, 60);
        Snapshot s = e.snapshot(AT, settings);
        assertThat(s.status()).isEqualTo(BudgetStatus.INSUFFICIENT_TRAFFIC);
        assertThat(s.statusReason()).contains("99 events").contains("minimum 100");
    }

    @Test
    void calendarMonthsResetAtTheBoundaryAndUseEventsSoFar() {
        TimeWindow month = new CalendarWindow(DurationShorthand.parse("1M"), LocalDateTime.parse("2026-01-01T00:00:00"),
                ZoneId.of("UTC"));
        BudgetEvaluator e = evaluator(slo("s", month, BudgetingMethod.OCCURRENCES, "0.999"));
        long nov1 = Instant.parse("2026-11-01T00:00:00Z").getEpochSecond() / 60;
        e.add("s", nov1 - 10, new MinuteCounts(0, 1000)); // a disaster in October
        e.add("s", nov1 + 10, new MinuteCounts(999, 1000));
        Snapshot s = e.snapshot(Instant.parse("2026-11-16T00:00:00Z"), EvaluationSettings.DEFAULTS);
        assertThat(s.windowStart()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(s.totalEvents()).isEqualTo(1000);
        assertThat(s.budgetTotal()).isEqualByComparingTo("1"); // (1 − 0.999) × events so far
        assertThat(s.consumedFraction()).isEqualTo(1.0);
        assertThat(s.periodMinutes()).isEqualTo(43_200);
    }

    @Test
    void calendarTimesliceBudgetFollowsTheRealMonthLength() {
        TimeWindow month = new CalendarWindow(DurationShorthand.parse("1M"), LocalDateTime.parse("2026-01-01T00:00:00"),
                ZoneId.of("UTC"));
        Slo slo = slo("s", month, BudgetingMethod.TIMESLICES, "0.999", "0.99", "1m");
        BudgetEvaluator counted = new BudgetEvaluator(BudgetSpec.of(slo, AlertTier.WORKBOOK_DEFAULTS).get(0),
                io.ebm.core.counts.EmptySlices.GOOD);
        BudgetEvaluator excluded = evaluator(slo);
        long oct31 = Instant.parse("2026-10-31T12:00:00Z").getEpochSecond() / 60;
        for (BudgetEvaluator e : List.of(counted, excluded)) {
            e.add("s", oct31, new MinuteCounts(1, 1));
        }
        Instant at = Instant.parse("2026-10-31T13:00:00Z");
        // every slice counted: the budget of the whole 31-day month
        assertThat(counted.snapshot(at, EvaluationSettings.DEFAULTS).budgetTotal()).isEqualByComparingTo("44.64");
        // empty slices left out: the one slice seen plus the 660 minutes still to come this month
        assertThat(excluded.snapshot(at, EvaluationSettings.DEFAULTS).budgetTotal()).isEqualByComparingTo("0.661");
    }

    @Test
    void compositeWeightsCountEventsNotRatios() {
        Slo journey = TestSlos.composite("j", D30, List.of(component("a", "0.99", "1"), component("b", "0.99", "2")));
        BudgetEvaluator e = evaluator(journey);
        e.add("j/a", AT_MIN - 10, new MinuteCounts(9_000, 10_000)); // 1,000 bad of 10,000
        e.add("j/b", AT_MIN - 10, new MinuteCounts(100, 100));     // 0 bad of 100, counted twice
        Snapshot s = snap(e);
        // weighted: bad 1,000; valid 10,000 + 2 × 100 = 10,200. Not (0.9 + 2 × 1.0) / 3.
        assertThat(s.sli()).isCloseTo(1 - 1000.0 / 10_200, within(1e-12));
        assertThat(s.budgetTotal()).isEqualByComparingTo("102");
        assertThat(s.budgetConsumed()).isEqualByComparingTo("1000");
        assertThat(s.target()).isEqualByComparingTo("0.99");
        assertThat(s.totalEvents()).isEqualTo(10_100);
    }

    @Test
    void compositeWithMixedTargetsAddsEachComponentsOwnBudget() {
        Slo journey = TestSlos.composite("j", D30, List.of(component("a", "0.99", "1"), component("b", "0.999", "2")));
        BudgetEvaluator e = evaluator(journey);
        e.add("j/a", AT_MIN - 10, new MinuteCounts(9_950, 10_000));
        e.add("j/b", AT_MIN - 10, new MinuteCounts(9_990, 10_000));
        Snapshot s = snap(e);
        // allowed: 1 × 0.01 × 10,000 + 2 × 0.001 × 10,000 = 120; bad: 50 + 2 × 10 = 70
        assertThat(s.budgetTotal()).isEqualByComparingTo("120");
        assertThat(s.budgetConsumed()).isEqualByComparingTo("70");
        assertThat(s.target()).isEqualByComparingTo("0.996"); // 1 − 120 / 30,000
    }

    @Test
    void anSloWithSeveralPlainObjectivesHasOneBudgetEach() {
        Objective fast = new Objective("p90", null, new BigDecimal("0.9"), null, null, null, null, null, null);
        Objective slow = new Objective("p99", null, new BigDecimal("0.99"), null, null, null, null, null, null);
        Slo latency = new Slo("lat", null, null, "svc", TestSlos.RATIO, D30, BudgetingMethod.OCCURRENCES,
                List.of(fast, slow), List.of(), false, java.util.Map.of(), "t");
        List<BudgetSpec> specs = BudgetSpec.of(latency, AlertTier.WORKBOOK_DEFAULTS);
        assertThat(specs).extracting(BudgetSpec::name).containsExactly("lat/p90", "lat/p99");
        assertThat(specs.get(1).components().get(0).target()).isEqualByComparingTo("0.99");
    }

    @Test
    void minutesReadAgainReplaceTheirEarlierValuesInEveryMethod() {
        for (BudgetingMethod method : BudgetingMethod.values()) {
            Slo s = slo("s", D30, method, "0.99", "0.95", "1m");
            BudgetEvaluator rewritten = evaluator(s);
            BudgetEvaluator once = evaluator(s);
            for (long m = AT_MIN - 30; m < AT_MIN; m++) {
                rewritten.upsert("s", m, new MinuteCounts(50, 100)); // an early, partial read
                once.upsert("s", m, new MinuteCounts(m % 3 == 0 ? 900 : 990, 1000));
            }
            for (long m = AT_MIN - 30; m < AT_MIN; m++) {
                rewritten.upsert("s", m, new MinuteCounts(m % 3 == 0 ? 900 : 990, 1000)); // the late datapoints
            }
            assertThat(snap(rewritten)).as(method.name()).usingRecursiveComparison().isEqualTo(snap(once));
            assertThat(snap(rewritten).totalEvents()).isEqualTo(30_000);
        }
    }

    @Test
    void onlyRecentMinutesCanBeWrittenAgain() {
        BudgetEvaluator e = evaluator(slo("s", D30, BudgetingMethod.OCCURRENCES, "0.99"));
        e.upsert("s", AT_MIN - 1, new MinuteCounts(1, 1));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> e.upsert("s", AT_MIN - 500, new MinuteCounts(1, 1)))
                .hasMessageContaining("can no longer be written");
    }

    @Test
    void staleInputIsVisibleAndBecomesNoData() {
        BudgetEvaluator e = evaluator(slo("s", D30, BudgetingMethod.OCCURRENCES, "0.99"));
        e.add("s", AT_MIN - 45, new MinuteCounts(100, 100));
        Snapshot lenient = snap(e);
        assertThat(lenient.lastDataAt()).isEqualTo(AT.minusSeconds(44 * 60));
        assertThat(lenient.status()).isEqualTo(BudgetStatus.HEALTHY);
        Snapshot strict = e.snapshot(AT, new EvaluationSettings(new BigDecimal("0.25"), 0, 60, 30));
        assertThat(strict.status()).isEqualTo(BudgetStatus.NO_DATA);
        assertThat(strict.statusReason()).isEqualTo("stale: no counts since 30 Nov 23:16 UTC, more than 30 minutes "
                + "before 1 Dec 00:00 UTC");
        assertThat(strict.alerts()).noneMatch(Snapshot.TierResult::firing);
    }

    @Test
    void aSnapshotReadsBackFromItsJsonWithExactBudgets() {
        BudgetEvaluator e = evaluator(slo("s", D30, BudgetingMethod.OCCURRENCES, "0.999"));
        for (long m = AT_MIN - 60; m < AT_MIN; m++) {
            e.add("s", m, new MinuteCounts(9_850, 10_000));
        }
        Snapshot s = snap(e);
        Snapshot back = SnapshotJson.fromText(SnapshotJson.toText(s));
        assertThat(back.budgetTotal()).isEqualByComparingTo(s.budgetTotal()).isEqualByComparingTo("600");
        assertThat(back.budgetConsumed()).isEqualByComparingTo("9000");
        assertThat(back).usingRecursiveComparison().ignoringFields("alerts", "target", "budgetTotal", "budgetConsumed")
                .isEqualTo(s);
        assertThat(back.alerts()).extracting(a -> a.tier().name() + ":" + a.firing() + ":" + a.factor())
                .containsExactlyElementsOf(s.alerts().stream().map(a -> a.tier().name() + ":" + a.firing() + ":" + a.factor())
                        .toList());
        assertThat(back.status()).isEqualTo(BudgetStatus.EXHAUSTED);
    }

    @Test
    void incrementalEvaluationEqualsAFreshEvaluationOfTheSameData() {
        Random r = new Random(7);
        Slo s = slo("s", new RollingWindow(DurationShorthand.parse("7d")), BudgetingMethod.OCCURRENCES, "0.995");
        BudgetEvaluator incremental = evaluator(s);
        long start = AT_MIN - 12 * 1440;
        long[][] data = new long[12 * 1440][];
        for (int i = 0; i < data.length; i++) {
            long total = r.nextInt(500);
            data[i] = new long[] {total - Math.min(total, r.nextInt(4) == 0 ? r.nextInt(40) : 0), total};
        }
        for (int i = 0; i < data.length; i++) {
            incremental.add("s", start + i, new MinuteCounts(data[i][0], data[i][1]));
            if (i % 997 == 0 || i == data.length - 1) {
                Instant at = Instant.ofEpochSecond((start + i + 1) * 60);
                BudgetEvaluator fresh = evaluator(s);
                for (int k = 0; k <= i; k++) {
                    fresh.add("s", start + k, new MinuteCounts(data[k][0], data[k][1]));
                }
                Snapshot a = incremental.snapshot(at, EvaluationSettings.DEFAULTS);
                Snapshot b = fresh.snapshot(at, EvaluationSettings.DEFAULTS);
                assertThat(a).usingRecursiveComparison().isEqualTo(b);
                long g = 0;
                long t = 0;
                for (int k = (int) Math.max(0, i + 1 - 7 * 1440); k <= i; k++) {
                    g += data[k][0];
                    t += data[k][1];
                }
                assertThat(a.totalEvents()).isEqualTo(t);
                assertThat(a.goodEvents()).isEqualTo(g);
            }
        }
    }
}
