package io.ebm.core.policy;

import io.ebm.core.counts.MinuteCounts;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Set;

/**
 * Minutes that must not count against the budget: planned maintenance, load tests. Events inside are
 * dropped (as if there were none) or counted as good. A window is one-off ({@code from}, {@code to}) or recurs
 * weekly ({@code recurrence}).
 */
public record Exclusion(String name, Scope scope, Instant from, Instant to, Recurrence recurrence,
                        Treatment treatment) {

    public enum Treatment { DROP, GOOD }

    /** Every {@code days} at {@code start} local time in {@code zone}, for {@code length}. */
    public record Recurrence(Set<DayOfWeek> days, LocalTime start, Duration length, ZoneId zone) {
        public Recurrence {
            days = Set.copyOf(days);
        }

        boolean contains(Instant minute) {
            return containingEnd(minute) != null;
        }

        /** The end of a window that contains {@code minute}, or null when none does. */
        private Instant containingEnd(Instant minute) {
            ZonedDateTime t = minute.atZone(zone);
            // a window may run past midnight: look at the starts of today and of the days before it
            long daysBack = Math.max(0, (length.toMinutes() + 1439) / 1440);
            for (long back = 0; back <= daysBack; back++) {
                ZonedDateTime day = t.minusDays(back);
                if (!days.contains(day.getDayOfWeek())) {
                    continue;
                }
                Instant startAt = day.toLocalDate().atTime(start).atZone(zone).toInstant();
                if (!minute.isBefore(startAt) && minute.isBefore(startAt.plus(length))) {
                    return startAt.plus(length);
                }
            }
            return null;
        }

        /** The first window start after {@code minute} (within the next eight days; far later when none). */
        private Instant nextStart(Instant minute) {
            ZonedDateTime t = minute.atZone(zone);
            for (long ahead = 0; ahead <= 8; ahead++) {
                ZonedDateTime day = t.plusDays(ahead);
                if (days.contains(day.getDayOfWeek())) {
                    Instant startAt = day.toLocalDate().atTime(start).atZone(zone).toInstant();
                    if (startAt.isAfter(minute)) {
                        return startAt;
                    }
                }
            }
            return t.plusDays(8).toInstant();
        }
    }

    /**
     * Whether this window covers {@code minute} of the budget, and until when that answer holds at least (the
     * next instant it may change): a budget fed minute by minute asks again only then.
     */
    public record Answer(boolean covered, Instant until) {
    }

    public Answer answerAt(String service, String budget, Instant minute) {
        if (!scope.matches(service, budget)) {
            return new Answer(false, Instant.MAX);
        }
        if (recurrence == null) {
            if (minute.isBefore(from)) {
                return new Answer(false, from);
            }
            return minute.isBefore(to) ? new Answer(true, to) : new Answer(false, Instant.MAX);
        }
        Instant end = recurrence.containingEnd(minute);
        return end != null ? new Answer(true, end) : new Answer(false, recurrence.nextStart(minute));
    }

    public boolean covers(String service, String budget, Instant minute) {
        if (!scope.matches(service, budget)) {
            return false;
        }
        if (recurrence != null) {
            return recurrence.contains(minute);
        }
        return !minute.isBefore(from) && minute.isBefore(to);
    }

    public MinuteCounts apply(MinuteCounts counts) {
        return treatment == Treatment.DROP ? MinuteCounts.NONE : counts.withCounts(counts.total(), counts.total());
    }
}
