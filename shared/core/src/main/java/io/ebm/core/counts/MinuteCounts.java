package io.ebm.core.counts;

/**
 * Good and total events of one datapoint, filed under the minute it starts. {@code minutes} is how long the
 * datapoint covers: 1 for the collector's one-minute data, 5 or 60 for the coarser data CloudWatch keeps for older
 * ranges (a backfill). Construction rejects what cannot be true; it never clamps.
 */
public record MinuteCounts(long good, long total, int minutes) {

    /** The longest datapoint a series can hold: a day. */
    public static final int MAX_MINUTES = 1440;

    public MinuteCounts {
        if (good < 0 || total < 0) {
            throw new IllegalArgumentException("counts must not be negative (good " + good + ", total " + total + ")");
        }
        if (good > total) {
            throw new IllegalArgumentException("good " + good + " is greater than total " + total);
        }
        if (minutes < 1 || minutes > MAX_MINUTES) {
            throw new IllegalArgumentException("a datapoint covers 1 to " + MAX_MINUTES + " minutes, got " + minutes);
        }
    }

    /** A one-minute datapoint. */
    public MinuteCounts(long good, long total) {
        this(good, total, 1);
    }

    public static final MinuteCounts NONE = new MinuteCounts(0, 0);

    /** Checks counts read from outside, naming the bucket they belong to when they are impossible. */
    public static MinuteCounts of(String series, long epochMinute, long good, long total) {
        return of(series, epochMinute, good, total, 1);
    }

    /** {@link #of(String, long, long, long)} for a datapoint covering {@code minutes}. */
    public static MinuteCounts of(String series, long epochMinute, long good, long total, int minutes) {
        try {
            return new MinuteCounts(good, total, minutes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(bucket(series, epochMinute) + ": " + e.getMessage(), e);
        }
    }

    /** How a bucket is named in messages: its series and the instant its minute starts. */
    public static String bucket(String series, long epochMinute) {
        return "bucket " + series + " at " + java.time.Instant.ofEpochSecond(epochMinute * 60);
    }

    public long bad() {
        return total - good;
    }

    /** The same events as counted by an exclusion window or an adjustment: the span is kept. */
    public MinuteCounts withCounts(long newGood, long newTotal) {
        return new MinuteCounts(newGood, newTotal, minutes);
    }

    /** The stores' text form: {@code good/total}, and {@code /minutes} for a datapoint longer than a minute. */
    public String toText() {
        return appendText(new StringBuilder(24), good, total, minutes).toString();
    }

    /** {@link #toText} of these counts, appended to {@code to}: a store writing an hour of minutes as one text. */
    public static StringBuilder appendText(StringBuilder to, long good, long total, int minutes) {
        to.append(good).append('/').append(total);
        return minutes == 1 ? to : to.append('/').append(minutes);
    }

    /** Reads {@link #toText}; the series and minute name the bucket when the text is not counts. */
    public static MinuteCounts parse(String series, long epochMinute, String text) {
        String[] parts = text == null ? new String[0] : text.split("/", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException(bucket(series, epochMinute) + ": stored counts '" + text
                    + "' are not good/total[/minutes]");
        }
        try {
            return of(series, epochMinute, Long.parseLong(parts[0]), Long.parseLong(parts[1]),
                    parts.length == 3 ? Integer.parseInt(parts[2]) : 1);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(bucket(series, epochMinute) + ": stored counts '" + text
                    + "' are not whole numbers", e);
        }
    }

    // Written out, as the record would: its generated equals and hashCode run through method handles, which the C1
    // compiler the local runtime and Lambda use calls rather than inlines. A calculator compares every minute it reads
    // again.
    @Override
    public boolean equals(Object o) {
        return o instanceof MinuteCounts m && good == m.good && total == m.total && minutes == m.minutes;
    }

    @Override
    public int hashCode() {
        return (31 * Long.hashCode(good) + Long.hashCode(total)) * 31 + minutes;
    }
}
