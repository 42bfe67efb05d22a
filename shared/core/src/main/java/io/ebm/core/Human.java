package io.ebm.core;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Times as people read them, wherever a person reads them (notices, pages); JSON keeps ISO-8601. */
public final class Human {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("d MMM HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Human() {
    }

    /** {@code 12 Nov 14:15 UTC}. */
    public static String time(Instant at) {
        return TIME.format(at);
    }

    /**
     * A length of time as people say it, to the minute: {@code 12 minutes}, {@code 4 hours 26 minutes},
     * {@code 2 days 3 hours}, {@code 67 days} (from ten days on, days alone).
     */
    public static String duration(java.time.Duration d) {
        long minutes = d.toMinutes();
        if (minutes == 0) {
            return d.isZero() ? "0 minutes" : "less than a minute";
        }
        if (minutes < 60) {
            return count(minutes, "minute");
        }
        if (minutes < 1440) {
            return count(minutes / 60, "hour") + (minutes % 60 == 0 ? "" : " " + count(minutes % 60, "minute"));
        }
        long days = minutes / 1440;
        long hours = (minutes % 1440) / 60;
        return days >= 10 || hours == 0 ? count(days, "day") : count(days, "day") + " " + count(hours, "hour");
    }

    private static String count(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
