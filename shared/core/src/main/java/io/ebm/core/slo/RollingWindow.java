package io.ebm.core.slo;

import java.time.Instant;

public record RollingWindow(DurationShorthand duration) implements TimeWindow {

    public RollingWindow {
        if (duration.isCalendar()) {
            throw new IllegalArgumentException("a rolling window needs a fixed length (m, h, d, w), not " + duration);
        }
    }

    public long minutes() {
        return duration.toMinutes();
    }

    @Override
    public Interval coveredAt(Instant at) {
        return new Interval(at.minusSeconds(60 * minutes()), at);
    }

    @Override
    public long periodMinutesAt(Instant at) {
        return minutes();
    }

    @Override
    public long maxPeriodMinutes() {
        return minutes();
    }

    @Override
    public String describe() {
        return duration + " rolling";
    }
}
