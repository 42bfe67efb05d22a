package io.ebm.core.counts;

/** Good and total events in one minute. Construction rejects what cannot be true; it never clamps. */
public record MinuteCounts(long good, long total) {

    public MinuteCounts {
        if (good < 0 || total < 0) {
            throw new IllegalArgumentException("counts must not be negative (good " + good + ", total " + total + ")");
        }
        if (good > total) {
            throw new IllegalArgumentException("good " + good + " is greater than total " + total);
        }
    }

    public static final MinuteCounts NONE = new MinuteCounts(0, 0);

    /** Checks counts read from outside, naming the bucket they belong to when they are impossible. */
    public static MinuteCounts of(String series, long epochMinute, long good, long total) {
        try {
            return new MinuteCounts(good, total);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bucket " + series + " at "
                    + java.time.Instant.ofEpochSecond(epochMinute * 60) + ": " + e.getMessage(), e);
        }
    }

    public long bad() {
        return total - good;
    }
}
