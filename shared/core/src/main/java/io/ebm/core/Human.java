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
}
