package io.ebm.core.slo;

import java.time.Instant;

/** The SLO window: rolling (always the last T) or calendar-aligned (resets at each period boundary). */
public sealed interface TimeWindow permits RollingWindow, CalendarWindow {

    /**
     * The window that an evaluation at {@code at} covers, as [start, end) on minute boundaries.
     * Rolling: [at − T, at). Calendar: the period holding the last minute before {@code at}, cut at {@code at}.
     */
    Interval coveredAt(Instant at);

    /** The full length of the budgeting period in force at {@code at}, in elapsed minutes (DST-aware). */
    long periodMinutesAt(Instant at);

    /** The longest period this window can have, in minutes: how much history evaluation must keep. */
    long maxPeriodMinutes();

    /** As written in the definition, e.g. {@code 30d rolling} or {@code 1M calendar (Europe/Paris)}. */
    String describe();

    DurationShorthand duration();

    /** A half-open interval of instants. */
    record Interval(Instant start, Instant end) {
        public long minutes() {
            return java.time.Duration.between(start, end).toMinutes();
        }
    }
}
