package io.ebm.core.slo;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * A calendar-aligned window: periods of {@code duration} counted from {@code startTime} in {@code zone}.
 * Period lengths are real (28–31 day months, 90–92 day quarters) and measured in elapsed time, so a DST
 * month is 23 or 25 hours shorter or longer than its calendar days suggest.
 */
public record CalendarWindow(DurationShorthand duration, LocalDateTime startTime, ZoneId zone) implements TimeWindow {

    @Override
    public Interval coveredAt(Instant at) {
        Interval period = periodHolding(at.minusSeconds(60));
        return new Interval(period.start(), at.isBefore(period.end()) ? at : period.end());
    }

    @Override
    public long periodMinutesAt(Instant at) {
        return periodHolding(at.minusSeconds(60)).minutes();
    }

    @Override
    public long maxPeriodMinutes() {
        long days = switch (duration.unit()) {
            case MINUTE, HOUR, DAY, WEEK -> -1;
            case MONTH -> 31 * duration.amount();
            case QUARTER -> 92 * duration.amount();
            case YEAR -> 366 * duration.amount();
        };
        // one extra hour for a DST fall-back inside the period
        return days < 0 ? duration.toMinutes() + 60 : days * 1440 + 60;
    }

    /** The period [start, end) that holds {@code instant}. */
    public Interval periodHolding(Instant instant) {
        ZonedDateTime anchor = startTime.atZone(zone);
        ZonedDateTime target = instant.atZone(zone);
        long step = stepsBetween(anchor, target);
        ZonedDateTime start = plusSteps(anchor, step);
        // correct for estimates that land one step off around month-end clamping or DST
        while (start.isAfter(target)) {
            step--;
            start = plusSteps(anchor, step);
        }
        ZonedDateTime end = plusSteps(anchor, step + 1);
        while (!end.isAfter(target)) {
            step++;
            start = end;
            end = plusSteps(anchor, step + 1);
        }
        return new Interval(start.toInstant(), end.toInstant());
    }

    private long stepsBetween(ZonedDateTime anchor, ZonedDateTime target) {
        LocalDateTime a = anchor.toLocalDateTime();
        LocalDateTime t = target.toLocalDateTime();
        long units = switch (duration.unit()) {
            case MINUTE -> ChronoUnit.MINUTES.between(a, t);
            case HOUR -> ChronoUnit.HOURS.between(a, t);
            case DAY -> ChronoUnit.DAYS.between(a, t);
            case WEEK -> ChronoUnit.WEEKS.between(a, t);
            case MONTH -> ChronoUnit.MONTHS.between(a, t);
            case QUARTER -> ChronoUnit.MONTHS.between(a, t) / 3;
            case YEAR -> ChronoUnit.YEARS.between(a, t);
        };
        return Math.floorDiv(units, duration.amount());
    }

    private ZonedDateTime plusSteps(ZonedDateTime anchor, long steps) {
        long n = steps * duration.amount();
        // calendar arithmetic on the local date-time, then back to the zone: a period starts at the same
        // wall-clock time whatever DST does in between
        LocalDateTime local = anchor.toLocalDateTime();
        LocalDateTime shifted = switch (duration.unit()) {
            case MINUTE -> local.plusMinutes(n);
            case HOUR -> local.plusHours(n);
            case DAY -> local.plusDays(n);
            case WEEK -> local.plusWeeks(n);
            case MONTH -> local.plusMonths(n);
            case QUARTER -> local.plusMonths(3 * n);
            case YEAR -> local.plusYears(n);
        };
        return shifted.atZone(zone);
    }

    @Override
    public String describe() {
        return duration + " calendar (" + zone.getId() + ")";
    }
}
