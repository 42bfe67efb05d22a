package io.ebm.core.counts;

/**
 * Where the time slices of a time-slice budget begin and end, in epoch minutes. A rolling window slices time on
 * a grid counted from the epoch (UTC); a calendar window counts its slices from each period's start in its own
 * time zone, and the last slice of a period ends with the period, shorter if the period is not a whole number
 * of slices (a DST month with one-day slices, for instance).
 */
public interface SliceGrid {

    /** The first minute of the slice that holds {@code minute}. */
    long startOf(long minute);

    /** The minute after the last one of the slice that starts at {@code sliceStart}. */
    long endOf(long sliceStart);

    /** The longest slice of this grid, in minutes. */
    int maxMinutes();

    /** Slices of {@code minutes} counted from the epoch. */
    static SliceGrid uniform(int minutes) {
        if (minutes < 1) {
            throw new IllegalArgumentException("a slice must be at least one minute, got " + minutes);
        }
        return new SliceGrid() {
            @Override
            public long startOf(long minute) {
                return minutes == 1 ? minute : Math.floorDiv(minute, minutes) * minutes;
            }

            @Override
            public long endOf(long sliceStart) {
                return sliceStart + minutes;
            }

            @Override
            public int maxMinutes() {
                return minutes;
            }

            @Override
            public String toString() {
                return minutes + "-minute slices from the epoch";
            }
        };
    }
}
