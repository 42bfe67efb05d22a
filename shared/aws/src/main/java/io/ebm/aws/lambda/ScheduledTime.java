package io.ebm.aws.lambda;

import io.ebm.core.port.StructuredLog;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** The instant a scheduled invocation is for. */
public final class ScheduledTime {

    private ScheduledTime() {
    }

    /**
     * The EventBridge event's own {@code time}, so that a late or retried invocation works on the minutes it
     * was meant for; the clock when the event has none.
     */
    public static Instant of(Map<String, Object> event, Clock clock, StructuredLog log) {
        Object time = event == null ? null : event.get("time");
        if (time instanceof String s) {
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e) {
                log.warn("event time unreadable; using the clock", Map.of("time", s));
            }
        }
        return clock.instant();
    }

    /**
     * Whether the event is the burning mode's one-minute run ({@code "burning": true}, the input its schedule
     * sends): only SLOs marked as burning are collected and evaluated.
     */
    public static boolean burning(Map<String, Object> event) {
        return event != null && Boolean.TRUE.equals(event.get("burning"));
    }
}
