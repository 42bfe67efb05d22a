package io.ebm.core.counts;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The counts of one SLI, kept as cumulative sums by minute in a ring sized to the longest window needed.
 *
 * <p>Any window's sums are the difference of two cumulative values, so after one new minute every window of an
 * SLO is re-evaluated in O(number of windows), whatever its length. Appending in order is O(1); a late minute
 * costs the distance to the newest one.
 *
 * <p>Events ({@code good}, {@code total}) are filed under the minute their datapoint starts. For time-slice
 * budgeting, the budget units of a slice ({@code bad}, {@code valid}) are filed under the minute the slice
 * starts, once the slice is complete (a later minute arrives, or the clock passes its end), and are measured in
 * minutes: a bad slice of five minutes is five bad minutes, and a period's last, shorter slice weighs what it
 * lasts. So a window [start, end) counts exactly the complete slices that start inside it.
 *
 * <p>A datapoint longer than a minute (the 5-minute or hourly data a backfill reads for older ranges) stands for
 * every minute it covers: a slice inside it that holds no other event takes the datapoint's ratio.
 */
public final class CountSeries {

    /** Fixed-point scale for a RatioTimeslices slice's ratio-minutes, so that window sums subtract exactly. */
    public static final long RATIO_SCALE = 1_000_000_000L;

    /** The sums a window holds, in {@link WindowCounts} order: bad, valid, good, total. */
    public static final int WIDTH = 4;

    /**
     * How many window edges a reader may name ({@code 0 .. EDGES - 1}): a start edge read at every evaluation
     * continues from where it was read last, so that moving it costs the minutes it moved.
     */
    public static final int EDGES = MinuteColumns.CURSORS;
    /** A read that names no edge (a window read once). */
    public static final int NO_EDGE = MinuteColumns.NO_CURSOR;

    public enum Kind { OCCURRENCES, TIMESLICES, RATIO_TIMESLICES }

    private final Kind kind;
    private final SliceGrid grid;
    private final BigDecimal timeSliceTarget;
    private final EmptySlices emptySlices;
    private final int capacity;
    /**
     * Cumulative good and total events by minute; for sliced kinds also the budget units (bad, valid) by slice
     * start. Its {@code first} and {@code last} are the oldest and newest minutes held.
     */
    private final MinuteColumns cols;
    private final long[] deltas;
    private final long[] scratch;
    /** Sliced kinds: the start of the oldest slice not yet counted; every slice before it is counted. */
    private long openSlice = Long.MIN_VALUE;
    /** The last cumulative read (bad, valid, good, total), while no write has been made since. */
    private long lastThrough = Long.MIN_VALUE;
    private long lastThroughWrites = -1;
    private final long[] lastThroughCounts = new long[WIDTH];
    /** The cumulative values before a window's start, while its end's are read: a window is their difference. */
    private final long[] before = new long[WIDTH];
    /** What {@link #at} reads a minute into. */
    private final long[] oneMinute = new long[WIDTH];
    /** Sliced kinds: datapoints covering more than one minute, by the minute they start. */
    private final TreeMap<Long, MinuteCounts> spans = new TreeMap<>();

    private CountSeries(Kind kind, SliceGrid grid, BigDecimal timeSliceTarget, EmptySlices emptySlices,
                        long retainMinutes) {
        this.kind = kind;
        this.grid = grid;
        this.timeSliceTarget = timeSliceTarget;
        this.emptySlices = emptySlices;
        // a trailing window rounded up to whole slices reaches back up to one slice further than its length
        long minutes = retainMinutes + grid.maxMinutes() + 2;
        if (minutes > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException("window too long to retain: " + retainMinutes + " minutes");
        }
        this.capacity = (int) minutes;
        // Occurrences: bad events are total minus good, valid events all events: nothing more to keep
        int columns = kind == Kind.OCCURRENCES ? 2 : 4;
        this.cols = new MinuteColumns(columns, capacity);
        this.deltas = new long[columns];
        this.scratch = new long[columns];
    }

    public static CountSeries occurrences(long retainMinutes) {
        return new CountSeries(Kind.OCCURRENCES, SliceGrid.uniform(1), null, EmptySlices.EXCLUDE, retainMinutes);
    }

    public static CountSeries timeslices(int sliceMinutes, BigDecimal timeSliceTarget, EmptySlices emptySlices,
                                         long retainMinutes) {
        return timeslices(SliceGrid.uniform(sliceMinutes), timeSliceTarget, emptySlices, retainMinutes);
    }

    public static CountSeries timeslices(SliceGrid grid, BigDecimal timeSliceTarget, EmptySlices emptySlices,
                                         long retainMinutes) {
        return new CountSeries(Kind.TIMESLICES, grid, timeSliceTarget, emptySlices, retainMinutes);
    }

    public static CountSeries ratioTimeslices(int sliceMinutes, EmptySlices emptySlices, long retainMinutes) {
        return ratioTimeslices(SliceGrid.uniform(sliceMinutes), emptySlices, retainMinutes);
    }

    public static CountSeries ratioTimeslices(SliceGrid grid, EmptySlices emptySlices, long retainMinutes) {
        return new CountSeries(Kind.RATIO_TIMESLICES, grid, null, emptySlices, retainMinutes);
    }

    public Kind kind() {
        return kind;
    }

    public SliceGrid grid() {
        return grid;
    }

    /** How many minutes back from the newest one a minute can still be written or read. */
    public long retainedMinutes() {
        return capacity - 2L - grid.maxMinutes();
    }

    /**
     * Adds one datapoint's counts to the minute it starts (to what the minute holds already).
     *
     * @throws IllegalArgumentException when the minute is older than the retained history
     */
    public void add(long epochMinute, MinuteCounts counts) {
        if (kind == Kind.OCCURRENCES && epochMinute > cols.last) {
            // the usual case, a newer minute: nothing to check or revise
            deltas[0] = counts.good();
            deltas[1] = counts.total();
            cols.add(epochMinute, deltas);
            return;
        }
        update(epochMinute, counts.good(), counts.total(), counts.minutes() > 1 ? counts : null,
                counts.minutes() > 1, counts.minutes());
    }

    /**
     * Replaces what one minute held ({@code previous}, {@link MinuteCounts#NONE} if nothing) with {@code next}:
     * a minute read again with late datapoints counts once, with its latest values.
     */
    public void replace(long epochMinute, MinuteCounts previous, MinuteCounts next) {
        if (!previous.equals(next)) {
            update(epochMinute, next.good() - previous.good(), next.total() - previous.total(),
                    next.minutes() > 1 ? next : null, previous.minutes() > 1 || next.minutes() > 1,
                    Math.max(previous.minutes(), next.minutes()));
        }
    }

    private void update(long minute, long deltaGood, long deltaTotal, MinuteCounts span, boolean spanChanges,
                        int reach) {
        if (cols.last != Long.MIN_VALUE && minute < cols.last - retainedMinutes()) {
            throw new IllegalArgumentException("minute is older than the retained history of "
                    + retainedMinutes() + " minutes");
        }
        if (kind == Kind.OCCURRENCES) {
            addAt(minute, deltaGood, deltaTotal, 0, 0);
            return;
        }
        long slice = grid.startOf(minute);
        if (openSlice == Long.MIN_VALUE) {
            openSlice = slice;
        } else if (slice > openSlice) {
            closeBefore(slice); // a minute of a later slice: every slice before it is complete
        } else if (cols.first != Long.MAX_VALUE && slice < grid.startOf(cols.first)) {
            countEmptySlices(slice, grid.startOf(cols.first)); // older than anything seen: complete, and empty
        }
        if (slice >= openSlice && !spanChanges) {
            addAt(minute, deltaGood, deltaTotal, 0, 0); // the open slice: counted when it completes
            return;
        }
        // complete slices this datapoint touches, counted before and after the change
        List<Long> touched = new ArrayList<>();
        for (long s = slice; s < openSlice && s < minute + reach; s = grid.endOf(s)) {
            touched.add(s);
        }
        long[][] before = new long[touched.size()][];
        for (int i = 0; i < before.length; i++) {
            before[i] = unitOf(touched.get(i));
        }
        addAt(minute, deltaGood, deltaTotal, 0, 0);
        if (spanChanges) {
            if (span == null) {
                spans.remove(minute);
            } else {
                spans.put(minute, span);
            }
            long settled = cols.last - capacity;
            while (!spans.isEmpty() && spans.firstKey() < settled) {
                spans.pollFirstEntry();
            }
        }
        for (int i = 0; i < before.length; i++) {
            long[] after = unitOf(touched.get(i));
            if (after[0] != before[i][0] || after[1] != before[i][1]) {
                addAt(touched.get(i), 0, 0, after[0] - before[i][0], after[1] - before[i][1]);
            }
        }
    }

    /** Counts every slice that ends at or before {@code epochMinute} (a minute boundary) as complete. */
    public void advanceTo(long epochMinute) {
        if (kind == Kind.OCCURRENCES || openSlice == Long.MIN_VALUE) {
            return;
        }
        long current = grid.startOf(epochMinute);
        if (current > openSlice) {
            closeBefore(current);
        }
    }

    /** The earliest start a {@link #sum} may have: the ring keeps this much history (any start when empty). */
    public long earliestStart() {
        return cols.last == Long.MIN_VALUE ? Long.MIN_VALUE : cols.last - capacity + 2;
    }

    /**
     * Sums over the minutes [startMinute, endMinute): events that start inside it, and for slices the complete
     * slices that start inside it.
     */
    public WindowCounts sum(long startMinute, long endMinute) {
        long[] out = new long[WIDTH];
        sumInto(startMinute, endMinute, out, 0);
        return new WindowCounts(out[0], out[1], out[2], out[3]);
    }

    /**
     * {@link #sum}, written to {@code out[at .. at + WIDTH)} as bad, valid, good, total: a snapshot sums a dozen
     * windows, and this way makes no object for any of them.
     */
    public void sumInto(long startMinute, long endMinute, long[] out, int at) {
        sumInto(startMinute, endMinute, out, at, NO_EDGE);
    }

    /**
     * {@link #sumInto(long, long, long[], int)} for a window whose start edge is read at every evaluation, named
     * {@code edge} (0 to {@link #EDGES} − 1): the next read of that edge continues from this one.
     */
    public void sumInto(long startMinute, long endMinute, long[] out, int at, int edge) {
        if (endMinute <= startMinute) {
            java.util.Arrays.fill(out, at, at + WIDTH, 0);
            return;
        }
        if (edge < NO_EDGE || edge >= EDGES) {
            throw new IllegalArgumentException("edge must be 0 to " + (EDGES - 1) + ", got " + edge);
        }
        // the end first: trailing windows share it, and the last read is kept
        cumulativeThrough(endMinute - 1, out, at, NO_EDGE);
        cumulativeThrough(startMinute - 1, before, 0, edge);
        for (int i = 0; i < WIDTH; i++) {
            out[at + i] -= before[i];
        }
    }

    /** Counts the slices from the open one up to (not including) {@code slice}, each with what it holds. */
    private void closeBefore(long slice) {
        long s = openSlice;
        if (cols.last != Long.MIN_VALUE && s < slice - capacity) {
            s = grid.startOf(slice - capacity + grid.maxMinutes()); // older slices have left the ring anyway
        }
        for (; s < slice; s = grid.endOf(s)) {
            long[] unit = unitOf(s);
            if (unit[0] != 0 || unit[1] != 0) {
                addAt(s, 0, 0, unit[0], unit[1]);
            }
        }
        openSlice = slice;
    }

    /** Slices in [from, to) that precede every minute seen so far: complete, and empty unless a span covers them. */
    private void countEmptySlices(long from, long to) {
        for (long s = from; s < to; s = grid.endOf(s)) {
            long[] unit = unitOf(s);
            if (unit[0] != 0 || unit[1] != 0) {
                addAt(s, 0, 0, unit[0], unit[1]);
            }
        }
    }

    /** The budget units {bad, valid} of the slice starting at {@code sliceStart}, from what it holds now. */
    private long[] unitOf(long sliceStart) {
        long end = grid.endOf(sliceStart);
        long length = end - sliceStart;
        long good = 0;
        long total = 0;
        long first = Math.max(sliceStart, cols.last - capacity + 2);
        if (cols.last != Long.MIN_VALUE && end > first && end - 1 >= cols.first) {
            // the slice's events, read from the sums without building a window (this runs once per slice)
            cols.cumulative(Math.min(end - 1, cols.last), scratch);
            good = scratch[0];
            total = scratch[1];
            if (first - 1 >= cols.first) {
                cols.cumulative(Math.min(first - 1, cols.last), scratch);
                good -= scratch[0];
                total -= scratch[1];
            }
        }
        if (total == 0) {
            // a longer datapoint that started in an earlier slice and runs into this one stands for it
            Map.Entry<Long, MinuteCounts> covering = spans.floorEntry(end - 1);
            if (covering != null && covering.getKey() + covering.getValue().minutes() > sliceStart) {
                good = covering.getValue().good();
                total = covering.getValue().total();
            }
        }
        long scale = kind == Kind.RATIO_TIMESLICES ? RATIO_SCALE : 1;
        long whole = length * scale;
        if (total == 0) {
            return switch (emptySlices) {
                case EXCLUDE -> new long[] {0, 0};
                case GOOD -> new long[] {0, whole};
                case BAD -> new long[] {whole, whole};
            };
        }
        if (kind == Kind.TIMESLICES) {
            // a slice whose ratio equals the target is good: bad only when good/total < target
            boolean good_ = BigDecimal.valueOf(good).compareTo(timeSliceTarget.multiply(BigDecimal.valueOf(total))) >= 0;
            return new long[] {good_ ? 0 : whole, whole};
        }
        // the slice's ratio × its minutes, to the nearest unit (halves to even): 1/3 and 2/3 add up to 1
        long goodScaled = new BigDecimal(BigInteger.valueOf(good).multiply(BigInteger.valueOf(whole)))
                .divide(BigDecimal.valueOf(total), 0, RoundingMode.HALF_EVEN).longValueExact();
        return new long[] {whole - goodScaled, whole};
    }

    private void addAt(long minute, long good, long total, long bad, long valid) {
        if (cols.last != Long.MIN_VALUE && minute < cols.last - capacity + 1) {
            throw new IllegalArgumentException("minute is older than the retained history of "
                    + retainedMinutes() + " minutes");
        }
        deltas[0] = good;
        deltas[1] = total;
        if (deltas.length > 2) {
            deltas[2] = bad;
            deltas[3] = valid;
        }
        cols.add(minute, deltas);
    }

    /** The sums of every minute through {@code minute}, to {@code out[at .. at + WIDTH)}. */
    private void cumulativeThrough(long minute, long[] out, int at, int edge) {
        if (cols.last == Long.MIN_VALUE || minute < cols.first) {
            java.util.Arrays.fill(out, at, at + WIDTH, 0);
            return;
        }
        long u = Math.min(minute, cols.last);
        if (u < cols.last - capacity + 1) {
            throw new IllegalArgumentException("window reaches back beyond the retained history of "
                    + retainedMinutes() + " minutes");
        }
        if (u != lastThrough || cols.writes != lastThroughWrites) {
            cols.cumulative(u, scratch, edge);
            long[] c = lastThroughCounts;
            if (scratch.length == 2) {
                c[0] = scratch[1] - scratch[0];
                c[1] = scratch[1];
            } else {
                c[0] = scratch[2];
                c[1] = scratch[3];
            }
            c[2] = scratch[0];
            c[3] = scratch[1];
            lastThrough = u;
            lastThroughWrites = cols.writes;
        }
        // every trailing window of a snapshot ends at the same minute: read once, copied for each (by hand: four
        // values, where C1 calls the general array-copy stub)
        long[] c = lastThroughCounts;
        out[at] = c[0];
        out[at + 1] = c[1];
        out[at + 2] = c[2];
        out[at + 3] = c[3];
    }

    /** What one minute holds now: the sum of what was written to it (nothing: {@link MinuteCounts#NONE}). */
    public MinuteCounts at(long epochMinute) {
        if (cols.last == Long.MIN_VALUE || epochMinute < cols.first || epochMinute > cols.last) {
            return MinuteCounts.NONE;
        }
        sumInto(epochMinute, epochMinute + 1, oneMinute, 0);
        long good = oneMinute[2];
        long total = oneMinute[3];
        MinuteCounts span = spans.get(epochMinute);
        return good == 0 && total == 0 && span == null ? MinuteCounts.NONE
                : new MinuteCounts(good, total, span == null ? 1 : span.minutes());
    }

    /** Rounds a fixed-point RatioTimeslices quantity for display. */
    public static double fromRatioScale(long scaled) {
        return BigDecimal.valueOf(scaled).divide(BigDecimal.valueOf(RATIO_SCALE), 9, RoundingMode.HALF_EVEN)
                .doubleValue();
    }
}
