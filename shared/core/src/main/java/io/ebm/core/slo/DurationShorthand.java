package io.ebm.core.slo;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenSLO duration-shorthand: a positive integer and a case-sensitive unit.
 * {@code m} is minutes and {@code M} is months; the spec's own time-slice example confuses the two.
 */
public record DurationShorthand(long amount, Unit unit) {

    public enum Unit {
        MINUTE('m'), HOUR('h'), DAY('d'), WEEK('w'), MONTH('M'), QUARTER('Q'), YEAR('Y');

        final char symbol;

        Unit(char symbol) {
            this.symbol = symbol;
        }

        /** Months, quarters and years have no fixed length: they only make sense on a calendar. */
        public boolean isCalendar() {
            return this == MONTH || this == QUARTER || this == YEAR;
        }

        static Unit of(char symbol) {
            for (Unit u : values()) {
                if (u.symbol == symbol) {
                    return u;
                }
            }
            return null;
        }
    }

    private static final Pattern SHAPE = Pattern.compile("([0-9]{1,9})([mhdwMQY])");

    public DurationShorthand {
        if (amount <= 0) {
            throw new IllegalArgumentException("duration amount must be positive");
        }
    }

    /** Parses {@code 5m, 1h, 28d, 4w, 1M, 1Q, 1Y}; returns null when the text is not a shorthand. */
    public static DurationShorthand parseOrNull(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = SHAPE.matcher(text);
        if (!m.matches()) {
            return null;
        }
        long amount = Long.parseLong(m.group(1));
        if (amount == 0) {
            return null;
        }
        return new DurationShorthand(amount, Unit.of(m.group(2).charAt(0)));
    }

    public static DurationShorthand parse(String text) {
        DurationShorthand d = parseOrNull(text);
        if (d == null) {
            throw new IllegalArgumentException("not a duration-shorthand: '" + text + "'");
        }
        return d;
    }

    public static DurationShorthand minutes(long n) {
        return new DurationShorthand(n, Unit.MINUTE);
    }

    public boolean isCalendar() {
        return unit.isCalendar();
    }

    /** Fixed length; only for m, h, d and w. */
    public Duration toDuration() {
        return switch (unit) {
            case MINUTE -> Duration.ofMinutes(amount);
            case HOUR -> Duration.ofHours(amount);
            case DAY -> Duration.ofDays(amount);
            case WEEK -> Duration.ofDays(7 * amount);
            default -> throw new IllegalStateException(this + " has no fixed length");
        };
    }

    public long toMinutes() {
        return toDuration().toMinutes();
    }

    /** A whole number of minutes as the coarsest exact shorthand: 4320 → 3d, 360 → 6h, 5 → 5m. */
    public static String ofMinutes(long minutes) {
        return minutes % 1440 == 0 ? minutes / 1440 + "d" : minutes % 60 == 0 ? minutes / 60 + "h" : minutes + "m";
    }

    @Override
    public String toString() {
        return amount + String.valueOf(unit.symbol);
    }
}
