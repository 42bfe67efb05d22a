package io.ebm.core.counts;

/**
 * Sums over one window. {@code bad} and {@code valid} are in budget units: events for Occurrences, slices for
 * Timeslices, and slices × {@link CountSeries#RATIO_SCALE} for RatioTimeslices. {@code good} and {@code total}
 * are always events.
 */
public record WindowCounts(long bad, long valid, long good, long total) {

    public static final WindowCounts EMPTY = new WindowCounts(0, 0, 0, 0);

    public boolean hasData() {
        return valid > 0;
    }
}
