package io.ebm.core.slo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CalendarWindowTest {

    private static CalendarWindow monthly(String zone) {
        return new CalendarWindow(DurationShorthand.parse("1M"), LocalDateTime.parse("2020-01-01T00:00:00"),
                ZoneId.of(zone));
    }

    @ParameterizedTest(name = "{0}: {1} minutes")
    @CsvSource({
        "2026-02-15T12:00:00Z, 40320",   // 28 days
        "2028-02-15T12:00:00Z, 41760",   // 29 days, leap year
        "2026-04-15T12:00:00Z, 43200",   // 30 days
        "2026-10-15T12:00:00Z, 44640"})  // 31 days
    void utcMonthsHaveTheirRealLength(String at, long minutes) {
        assertThat(monthly("UTC").periodMinutesAt(Instant.parse(at))).isEqualTo(minutes);
    }

    @Test
    void aDstMonthIsMeasuredInElapsedMinutes() {
        // slo-math §5.1: March 2025 in America/New_York is 31 calendar days but 44,580 elapsed minutes
        assertThat(monthly("America/New_York").periodMinutesAt(Instant.parse("2025-03-20T12:00:00Z")))
                .isEqualTo(44_580);
        // and November gives the hour back: 30 days + 60 minutes
        assertThat(monthly("America/New_York").periodMinutesAt(Instant.parse("2025-11-20T12:00:00Z")))
                .isEqualTo(43_260);
    }

    @Test
    void periodsStartAtLocalMidnightInTheSlosZone() {
        TimeWindow.Interval p = monthly("Europe/Paris").periodHolding(Instant.parse("2026-07-10T00:00:00Z"));
        assertThat(p.start()).isEqualTo(Instant.parse("2026-06-30T22:00:00Z"));
        assertThat(p.end()).isEqualTo(Instant.parse("2026-07-31T22:00:00Z"));
    }

    @Test
    void evaluationCoversThePeriodSoFarAndResetsAtTheBoundary() {
        CalendarWindow w = monthly("UTC");
        TimeWindow.Interval mid = w.coveredAt(Instant.parse("2026-11-16T00:00:00Z"));
        assertThat(mid.start()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(mid.end()).isEqualTo(Instant.parse("2026-11-16T00:00:00Z"));
        // at the very end of November the whole month is covered, not the empty December
        TimeWindow.Interval end = w.coveredAt(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(end.start()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(end.minutes()).isEqualTo(43_200);
        // one minute later December has begun
        TimeWindow.Interval next = w.coveredAt(Instant.parse("2026-12-01T00:01:00Z"));
        assertThat(next.start()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(next.minutes()).isEqualTo(1);
    }

    @ParameterizedTest(name = "quarter holding {0} has {1} days")
    @CsvSource({"2026-02-01T00:00:00Z, 90", "2026-05-01T00:00:00Z, 91", "2026-08-01T00:00:00Z, 92",
                "2028-02-01T00:00:00Z, 91"})
    void quartersAreNinetyToNinetyTwoDays(String at, long days) {
        CalendarWindow q = new CalendarWindow(DurationShorthand.parse("1Q"), LocalDateTime.parse("2020-01-01T00:00:00"),
                ZoneId.of("UTC"));
        assertThat(q.periodMinutesAt(Instant.parse(at))).isEqualTo(days * 1440);
    }

    @Test
    void monthsAnchoredOnTheThirtyFirstClampToShortMonthsThenRecover() {
        CalendarWindow w = new CalendarWindow(DurationShorthand.parse("1M"), LocalDateTime.parse("2026-01-31T00:00:00"),
                ZoneId.of("UTC"));
        TimeWindow.Interval feb = w.periodHolding(Instant.parse("2026-03-10T00:00:00Z"));
        assertThat(feb.start()).isEqualTo(Instant.parse("2026-02-28T00:00:00Z"));
        assertThat(feb.end()).isEqualTo(Instant.parse("2026-03-31T00:00:00Z"));
    }

    @Test
    void rollingWindowCoversTheLastTMinutes() {
        RollingWindow w = new RollingWindow(DurationShorthand.parse("30d"));
        TimeWindow.Interval i = w.coveredAt(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(i.start()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(w.periodMinutesAt(Instant.EPOCH)).isEqualTo(43_200);
    }
}
