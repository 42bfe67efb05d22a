package io.ebm.core.budget;

import static io.ebm.core.TestSlos.component;
import static io.ebm.core.TestSlos.slo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ebm.core.TestSlos;
import io.ebm.core.alert.AlertTier;
import io.ebm.core.counts.EmptySlices;
import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.slo.BudgetingMethod;
import io.ebm.core.slo.CalendarWindow;
import io.ebm.core.slo.DurationShorthand;
import io.ebm.core.slo.RollingWindow;
import io.ebm.core.slo.Slo;
import io.ebm.core.slo.TimeWindow;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The corners where budgets went wrong: time slices on the SLO's own grid, composites with gaps, overflow. */
class BudgetCornersTest {

    private static final TimeWindow D1 = new RollingWindow(DurationShorthand.parse("1d"));
    private static final TimeWindow D30 = new RollingWindow(DurationShorthand.parse("30d"));
    private static final CalendarWindow PARIS_MONTH = new CalendarWindow(DurationShorthand.parse("1M"),
            LocalDateTime.parse("2026-01-01T00:00:00"), ZoneId.of("Europe/Paris"));

    private static BudgetEvaluator evaluator(Slo slo) {
        return new BudgetEvaluator(BudgetSpec.of(slo, AlertTier.WORKBOOK_DEFAULTS).get(0));
    }

    /** A composite of two equally weighted components, j/a and j/b, at 99%. */
    private static BudgetEvaluator journey() {
        return evaluator(TestSlos.composite("j", D30, List.of(component("a", "0.99", "1"), component("b", "0.99", "1"))));
    }

    private static long minute(String instant) {
        return Instant.parse(instant).getEpochSecond() / 60;
    }

    private static Snapshot.TierResult tier(Snapshot s, String name) {
        return s.alerts().stream().filter(t -> t.tier().name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void slicesLongerThanTheShortWindowStillLetTheFastPageFire() {
        // 10-minute slices: page-1h's 5-minute short window is rounded up to the newest complete slice
        BudgetEvaluator e = evaluator(slo("s", D30, BudgetingMethod.TIMESLICES, "0.999", "0.99", "10m"));
        long start = minute("2026-11-01T00:00:00Z");
        for (long m = start; m < start + 30 * 1440; m++) {
            boolean incident = m >= start + 30 * 1440 - 60;
            e.add("s", m, new MinuteCounts(incident ? 50 : 100, 100));
        }
        Snapshot s = e.snapshot(Instant.ofEpochSecond((start + 30 * 1440 + 3) * 60), EvaluationSettings.DEFAULTS);
        Snapshot.TierResult page = tier(s, "page-1h");
        assertThat(page.shortBurnRate()).isEqualTo(1000.0); // the newest complete slice: all of it bad
        assertThat(page.longBurnRate()).isEqualTo(1000.0);  // the six newest slices, every one bad
        assertThat(page.firing()).isTrue();
    }

    @Test
    void aCalendarMonthSlicesFromItsOwnStartInItsTimeZone() {
        // Paris November: 31 Oct 23:00 UTC .. 30 Nov 23:00 UTC; one-day slices are Paris days, so the bad
        // last day (29 Nov 23:00 .. 30 Nov 23:00 UTC) is a whole slice inside the month
        BudgetEvaluator e = evaluator(slo("s", PARIS_MONTH, BudgetingMethod.TIMESLICES, "0.9", "0.9", "1d"));
        long from = minute("2026-10-31T23:00:00Z");
        long lastDay = minute("2026-11-29T23:00:00Z");
        long to = minute("2026-11-30T23:00:00Z");
        for (long m = from; m < to; m++) {
            e.add("s", m, new MinuteCounts(m >= lastDay ? 0 : 100, 100));
        }
        Snapshot s = e.snapshot(Instant.ofEpochSecond(to * 60), EvaluationSettings.DEFAULTS);
        assertThat(s.budgetConsumed()).isEqualByComparingTo("1440");
        assertThat(s.budgetTotal()).isEqualByComparingTo("4320"); // 10% of 30 counted days
        assertThat(s.status()).isEqualTo(BudgetStatus.HEALTHY);
    }

    @Test
    void aDstMonthEndsWithAShorterSliceThatWeighsWhatItLasts() {
        // Paris October 2026 lasts 745 hours: 31 one-day slices and a last slice of one hour
        BudgetEvaluator e = new BudgetEvaluator(BudgetSpec.of(
                slo("s", PARIS_MONTH, BudgetingMethod.TIMESLICES, "0.999", "0.99", "1d"),
                AlertTier.WORKBOOK_DEFAULTS).get(0), EmptySlices.GOOD);
        long from = minute("2026-09-30T22:00:00Z");
        long lastHour = minute("2026-10-31T22:00:00Z");
        long to = minute("2026-10-31T23:00:00Z");
        for (long m = from; m < to; m++) {
            e.add("s", m, new MinuteCounts(m >= lastHour ? 0 : 100, 100));
        }
        Snapshot s = e.snapshot(Instant.ofEpochSecond(to * 60), EvaluationSettings.DEFAULTS);
        assertThat(s.periodMinutes()).isEqualTo(745 * 60);
        assertThat(s.budgetConsumed()).isEqualByComparingTo("60");
        assertThat(s.budgetTotal()).isEqualByComparingTo("44.7");
    }

    @Test
    void anHourlyDatapointStandsForEveryMinuteOfItsHour() {
        // a backfill's one-hour datapoint on one-minute slices: a bad hour is 60 bad minutes, not one
        BudgetEvaluator e = evaluator(slo("s", D1, BudgetingMethod.TIMESLICES, "0.99", "0.95", "1m"));
        long hour = minute("2026-11-10T10:00:00Z");
        e.add("s", hour - 60, new MinuteCounts(6_000, 6_000, 60));
        e.add("s", hour, new MinuteCounts(5_000, 6_000, 60)); // 83% good: every minute of the hour is bad
        e.add("s", hour + 60, new MinuteCounts(6_000, 6_000, 60));
        Snapshot s = e.snapshot(Instant.ofEpochSecond((hour + 120) * 60), EvaluationSettings.DEFAULTS);
        assertThat(s.budgetConsumed()).isEqualByComparingTo("60");
        assertThat(s.sli()).isCloseTo(120.0 / 180, org.assertj.core.api.Assertions.within(1e-15));
        assertThat(s.totalEvents()).isEqualTo(18_000);
        // the same hour as five-minute datapoints gives the same answer
        BudgetEvaluator fine = evaluator(slo("s", D1, BudgetingMethod.TIMESLICES, "0.99", "0.95", "1m"));
        for (long m = hour - 60; m < hour + 120; m += 5) {
            fine.add("s", m, new MinuteCounts(m >= hour && m < hour + 60 ? 400 : 500, 500, 5));
        }
        Snapshot f = fine.snapshot(Instant.ofEpochSecond((hour + 120) * 60), EvaluationSettings.DEFAULTS);
        assertThat(f.budgetConsumed()).isEqualByComparingTo("60");
    }

    @Test
    void ratioTimeslicesRoundEachSliceToTheNearestNotDown() {
        BudgetEvaluator e = evaluator(slo("s", D1, BudgetingMethod.RATIO_TIMESLICES, "0.5", null, "1m"));
        long m = minute("2026-11-10T10:00:00Z");
        e.add("s", m, new MinuteCounts(1, 3));
        e.add("s", m + 1, new MinuteCounts(2, 3));
        Snapshot s = e.snapshot(Instant.ofEpochSecond((m + 2) * 60), EvaluationSettings.DEFAULTS);
        assertThat(s.budgetConsumed()).isEqualByComparingTo("1");
        assertThat(s.budgetTotal()).isEqualByComparingTo("1"); // half of the two minutes counted
        assertThat(s.status()).isEqualTo(BudgetStatus.WARNING); // consumed = budget: spent, not over
    }

    @Test
    void excludedEmptySlicesLeaveTheBudgetAsTheyLeaveTheSli() {
        // slo-math §1.2: 1,440 one-minute slices, 10 empty, 2 bad, target 99.9% -> 2 / 1.43 = 139.86%
        BudgetEvaluator e = evaluator(slo("s", D1, BudgetingMethod.TIMESLICES, "0.999", "0.99", "1m"));
        long start = minute("2026-11-10T00:00:00Z");
        for (long m = start; m < start + 1440; m++) {
            long i = m - start;
            if (i >= 100 && i < 110) {
                continue; // empty
            }
            e.add("s", m, new MinuteCounts(i == 500 || i == 900 ? 0 : 100, 100));
        }
        Snapshot s = e.snapshot(Instant.ofEpochSecond((start + 1440) * 60), EvaluationSettings.DEFAULTS);
        assertThat(s.budgetTotal()).isEqualByComparingTo("1.430");
        assertThat(s.budgetConsumed()).isEqualByComparingTo("2");
        assertThat(s.remainingFraction()).isCloseTo(1 - 2 / 1.43, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(s.sli()).isEqualTo(1428.0 / 1430);
        assertThat(s.status()).isEqualTo(BudgetStatus.EXHAUSTED);
    }

    @Test
    void aWarmCompositeSurvivesAGapLongerThanTheRewritableHorizon() {
        BudgetEvaluator e = journey();
        long t = minute("2026-11-10T10:00:00Z");
        for (long m = t; m < t + 10; m++) {
            e.upsert("j/a", m, new MinuteCounts(100, 100));
            e.upsert("j/b", m, new MinuteCounts(100, 100));
        }
        // a calculator back after three hours reads its overlap again, component by component
        for (long m = t + 5; m < t + 200; m++) {
            e.upsert("j/a", m, new MinuteCounts(100, 100));
        }
        for (long m = t + 5; m < t + 200; m++) {
            e.upsert("j/b", m, new MinuteCounts(90, 100));
        }
        Snapshot s = e.snapshot(Instant.ofEpochSecond((t + 200) * 60), EvaluationSettings.DEFAULTS);
        assertThat(s.totalEvents()).isEqualTo(2 * 200 * 100);
        assertThat(s.status()).isEqualTo(BudgetStatus.EXHAUSTED);
    }

    @Test
    void aSilentComponentIsNamedAsStale() {
        BudgetEvaluator e = journey();
        long t = minute("2026-11-10T10:00:00Z");
        for (long m = t; m < t + 120; m++) {
            e.add("j/a", m, new MinuteCounts(100, 100));
            if (m < t + 30) {
                e.add("j/b", m, new MinuteCounts(100, 100));
            }
        }
        EvaluationSettings stale = new EvaluationSettings(EvaluationSettings.DEFAULTS.warningRemaining(),
                EvaluationSettings.DEFAULTS.minimumEvents(), EvaluationSettings.DEFAULTS.currentBurnMinutes(), 30);
        Snapshot s = e.snapshot(Instant.ofEpochSecond((t + 120) * 60), stale);
        assertThat(s.status()).isEqualTo(BudgetStatus.NO_DATA);
        assertThat(s.statusReason()).startsWith("stale: component j/b: no counts since 10 Nov 10:30 UTC");
        assertThat(s.lastDataAt()).isEqualTo(Instant.parse("2026-11-10T10:30:00Z"));
    }

    @Test
    void countsThatCouldOverflowAWindowAreRefusedWithTheBucketNamed() {
        BudgetEvaluator e = evaluator(slo("api", D30, BudgetingMethod.OCCURRENCES, "0.999"));
        long m = minute("2026-11-10T10:00:00Z");
        e.add("api", m, new MinuteCounts(e.maxEventsPerMinute(), e.maxEventsPerMinute()));
        assertThatThrownBy(() -> e.add("api", m + 1, new MinuteCounts(0, Long.MAX_VALUE / 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("bucket api at 2026-11-10T10:01:00Z: total 4611686018427387903 is more than ");
        // the most a minute may hold, in every minute of the window, still sums exactly
        for (long i = 1; i < 30 * 1440; i++) {
            e.add("api", m + i, new MinuteCounts(e.maxEventsPerMinute(), e.maxEventsPerMinute()));
        }
        Snapshot s = e.snapshot(Instant.ofEpochSecond((m + 30 * 1440) * 60), EvaluationSettings.DEFAULTS);
        assertThat(s.totalEvents()).isEqualTo(e.maxEventsPerMinute() * 30 * 1440).isPositive();
    }

    @Test
    void aConditionsOpDecidesHowTheBurnRateComparesWithItsThreshold() {
        // a burn rate of exactly 1 in both windows: 1 bad of every 100 against a 99% target
        java.util.function.Function<io.ebm.core.alert.Comparison, Boolean> fires = op -> {
            AlertTier tier = new AlertTier("t-" + op, "page", 60, 5, null, java.math.BigDecimal.ONE, 0, true, op);
            BudgetEvaluator e = new BudgetEvaluator(BudgetSpec.of(slo("s", D30, BudgetingMethod.OCCURRENCES, "0.99"),
                    List.of(tier)).get(0));
            long m = minute("2026-11-10T10:00:00Z");
            for (long t = m; t < m + 60; t++) {
                e.add("s", t, new MinuteCounts(99, 100));
            }
            return e.snapshot(Instant.ofEpochSecond((m + 60) * 60), EvaluationSettings.DEFAULTS).alerts().get(0).firing();
        };
        assertThat(fires.apply(io.ebm.core.alert.Comparison.GT)).isFalse(); // the Workbook's strict >
        assertThat(fires.apply(io.ebm.core.alert.Comparison.GTE)).isTrue();
        assertThat(fires.apply(io.ebm.core.alert.Comparison.LTE)).isTrue();
        assertThat(fires.apply(io.ebm.core.alert.Comparison.LT)).isFalse();
    }
}
