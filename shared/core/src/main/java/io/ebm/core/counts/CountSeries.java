package io.ebm.core.counts;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * One-minute counts of one SLI, kept as cumulative sums in a ring sized to the longest window needed.
 *
 * <p>Any window's sums are the difference of two cumulative values, so after one new minute every window of an
 * SLO is re-evaluated in O(number of windows), whatever its length. Appending in order is O(1); a late minute
 * costs the distance to the newest one.
 *
 * <p>For time-slice budgeting the unit is a slice of {@code sliceMinutes} aligned to the epoch. A slice counts
 * once it is complete, that is when a later minute arrives or the clock is advanced past its end.
 */
public final class CountSeries {

    /** Fixed-point scale for a RatioTimeslices slice's ratio, so that window sums subtract exactly. */
    public static final long RATIO_SCALE = 1_000_000_000L;

    public enum Kind { OCCURRENCES, TIMESLICES, RATIO_TIMESLICES }

    private final Kind kind;
    private final int sliceMinutes;
    private final BigDecimal timeSliceTarget;
    private final EmptySlices emptySlices;
    private final int capacity;
    private final long[] cumBad;
    private final long[] cumTotal;
    private final long[] cumValid;
    private final long[] cumGood;

    private long firstUnit = Long.MAX_VALUE;
    private long lastUnit = Long.MIN_VALUE;

    // the slice still being filled (sliced kinds only)
    private long openSlice = Long.MIN_VALUE;
    private long openGood;
    private long openTotal;

    private CountSeries(Kind kind, int sliceMinutes, BigDecimal timeSliceTarget, EmptySlices emptySlices,
                        long retainMinutes) {
        if (sliceMinutes < 1) {
            throw new IllegalArgumentException("slice must be at least one minute");
        }
        this.kind = kind;
        this.sliceMinutes = sliceMinutes;
        this.timeSliceTarget = timeSliceTarget;
        this.emptySlices = emptySlices;
        long units = Math.floorDiv(retainMinutes + sliceMinutes - 1, sliceMinutes) + 2;
        if (units > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("window too long to retain: " + retainMinutes + " minutes");
        }
        this.capacity = (int) units;
        this.cumBad = new long[capacity];
        this.cumTotal = new long[capacity];
        if (kind == Kind.OCCURRENCES) {
            // valid events are all events, good events are total minus bad: no need to store them twice
            this.cumValid = cumTotal;
            this.cumGood = null;
        } else {
            this.cumValid = new long[capacity];
            this.cumGood = new long[capacity];
        }
    }

    public static CountSeries occurrences(long retainMinutes) {
        return new CountSeries(Kind.OCCURRENCES, 1, null, EmptySlices.EXCLUDE, retainMinutes);
    }

    public static CountSeries timeslices(int sliceMinutes, BigDecimal timeSliceTarget, EmptySlices emptySlices,
                                         long retainMinutes) {
        return new CountSeries(Kind.TIMESLICES, sliceMinutes, timeSliceTarget, emptySlices, retainMinutes);
    }

    public static CountSeries ratioTimeslices(int sliceMinutes, EmptySlices emptySlices, long retainMinutes) {
        return new CountSeries(Kind.RATIO_TIMESLICES, sliceMinutes, null, emptySlices, retainMinutes);
    }

    public Kind kind() {
        return kind;
    }

    public int sliceMinutes() {
        return sliceMinutes;
    }

    /**
     * Adds one minute's counts.
     *
     * @throws IllegalArgumentException when the minute is older than the retained history
     */
    public void add(long epochMinute, MinuteCounts counts) {
        adjust(epochMinute, counts.good(), counts.total());
    }

    /**
     * Replaces what one minute held ({@code previous}, {@link MinuteCounts#NONE} if nothing) with {@code next}:
     * a minute read again with late datapoints counts once, with its latest values.
     */
    public void replace(long epochMinute, MinuteCounts previous, MinuteCounts next) {
        if (!previous.equals(next)) {
            adjust(epochMinute, next.good() - previous.good(), next.total() - previous.total());
        }
    }

    /** Adds a difference (possibly negative) to one minute's good and total events. */
    private void adjust(long epochMinute, long deltaGood, long deltaTotal) {
        if (kind == Kind.OCCURRENCES) {
            addUnit(epochMinute, deltaTotal - deltaGood, deltaTotal, 0, deltaTotal);
            return;
        }
        long slice = Math.floorDiv(epochMinute, sliceMinutes);
        if (slice == openSlice) {
            openGood += deltaGood;
            openTotal += deltaTotal;
        } else if (slice > openSlice && slice > lastUnit) {
            closeSlicesBefore(slice);
            openSlice = slice;
            openGood = deltaGood;
            openTotal = deltaTotal;
        } else {
            reviseClosedSlice(slice, deltaGood, deltaTotal);
        }
    }

    /** Counts every slice that ends at or before {@code epochMinute} (a minute boundary) as complete. */
    public void advanceTo(long epochMinute) {
        if (kind == Kind.OCCURRENCES || (openSlice == Long.MIN_VALUE && lastUnit == Long.MIN_VALUE)) {
            return;
        }
        long firstIncomplete = Math.floorDiv(epochMinute, sliceMinutes);
        if (firstIncomplete > Math.max(openSlice, lastUnit + 1)) {
            closeSlicesBefore(firstIncomplete);
            openSlice = Long.MIN_VALUE;
            openGood = 0;
            openTotal = 0;
        }
    }

    /** Sums over the minutes [startMinute, endMinute): for slices, those slices lying wholly inside. */
    public WindowCounts sum(long startMinute, long endMinute) {
        long fromUnit = Math.floorDiv(startMinute + sliceMinutes - 1, sliceMinutes);
        long toUnit = Math.floorDiv(endMinute, sliceMinutes);
        if (toUnit <= fromUnit) {
            return WindowCounts.EMPTY;
        }
        return cumulativeThrough(toUnit - 1).minus(cumulativeThrough(fromUnit - 1));
    }

    /** Writes the open slice, then every slice up to {@code slice} as one that saw no event. */
    private void closeSlicesBefore(long slice) {
        if (openSlice != Long.MIN_VALUE) {
            writeSlice(openSlice, openGood, openTotal);
        }
        if (lastUnit == Long.MIN_VALUE) {
            return;
        }
        for (long s = Math.max(lastUnit + 1, slice - capacity); s < slice; s++) {
            writeSlice(s, 0, 0);
        }
    }

    private void writeSlice(long slice, long good, long total) {
        long[] unit = sliceUnit(good, total);
        addUnit(slice, unit[0], unit[1], good, total);
    }

    /** bad and valid units of one slice. */
    private long[] sliceUnit(long good, long total) {
        if (total == 0) {
            return switch (emptySlices) {
                case EXCLUDE -> new long[] {0, 0};
                case GOOD -> new long[] {0, unitScale()};
                case BAD -> new long[] {unitScale(), unitScale()};
            };
        }
        if (kind == Kind.TIMESLICES) {
            // a slice whose ratio equals the target is good: bad only when good/total < target
            boolean good_ = BigDecimal.valueOf(good).compareTo(timeSliceTarget.multiply(BigDecimal.valueOf(total))) >= 0;
            return new long[] {good_ ? 0 : 1, 1};
        }
        long goodScaled = BigInteger.valueOf(good).multiply(BigInteger.valueOf(RATIO_SCALE))
                .divide(BigInteger.valueOf(total)).longValueExact();
        return new long[] {RATIO_SCALE - goodScaled, RATIO_SCALE};
    }

    private long unitScale() {
        return kind == Kind.RATIO_TIMESLICES ? RATIO_SCALE : 1;
    }

    private void reviseClosedSlice(long slice, long deltaGood, long deltaTotal) {
        WindowCounts before = cumulativeThrough(slice).minus(cumulativeThrough(slice - 1));
        long good = before.good() + deltaGood;
        long total = before.total() + deltaTotal;
        long[] oldUnit = sliceUnit(before.good(), before.total());
        long[] newUnit = sliceUnit(good, total);
        addUnit(slice, newUnit[0] - oldUnit[0], newUnit[1] - oldUnit[1], deltaGood, deltaTotal);
    }

    private void addUnit(long unit, long bad, long valid, long good, long total) {
        if (lastUnit == Long.MIN_VALUE) {
            firstUnit = unit;
            lastUnit = unit;
            int i = slot(unit);
            cumBad[i] = bad;
            cumTotal[i] = total;
            if (cumGood != null) {
                cumValid[i] = valid;
                cumGood[i] = good;
            }
            return;
        }
        if (unit > lastUnit) {
            int prev = slot(lastUnit);
            long b = cumBad[prev];
            long t = cumTotal[prev];
            long v = cumGood != null ? cumValid[prev] : 0;
            long g = cumGood != null ? cumGood[prev] : 0;
            // a gap is minutes (or slices) with no data: carry the sums forward unchanged
            for (long u = Math.max(lastUnit + 1, unit - capacity + 1); u < unit; u++) {
                store(slot(u), b, t, v, g);
            }
            store(slot(unit), b + bad, t + total, v + valid, g + good);
            lastUnit = unit;
            return;
        }
        if (unit < lastUnit - capacity + 1) {
            throw new IllegalArgumentException("minute is older than the retained history of "
                    + (long) (capacity - 2) * sliceMinutes + " minutes");
        }
        if (unit < firstUnit) {
            // data older than the first minute seen: everything recorded so far shifts by the new unit
            for (long u = unit; u < firstUnit; u++) {
                store(slot(u), 0, 0, 0, 0);
            }
            firstUnit = unit;
        }
        for (long u = unit; u <= lastUnit; u++) {
            int i = slot(u);
            cumBad[i] += bad;
            cumTotal[i] += total;
            if (cumGood != null) {
                cumValid[i] += valid;
                cumGood[i] += good;
            }
        }
    }

    private void store(int i, long bad, long total, long valid, long good) {
        cumBad[i] = bad;
        cumTotal[i] = total;
        if (cumGood != null) {
            cumValid[i] = valid;
            cumGood[i] = good;
        }
    }

    private WindowCounts cumulativeThrough(long unit) {
        if (lastUnit == Long.MIN_VALUE || unit < firstUnit) {
            return WindowCounts.EMPTY;
        }
        long u = Math.min(unit, lastUnit);
        if (u < lastUnit - capacity + 1) {
            throw new IllegalArgumentException("window reaches back beyond the retained history of "
                    + (long) (capacity - 2) * sliceMinutes + " minutes");
        }
        int i = slot(u);
        if (cumGood == null) {
            return new WindowCounts(cumBad[i], cumTotal[i], cumTotal[i] - cumBad[i], cumTotal[i]);
        }
        return new WindowCounts(cumBad[i], cumValid[i], cumGood[i], cumTotal[i]);
    }

    private int slot(long unit) {
        return (int) Math.floorMod(unit, (long) capacity);
    }

    /** Rounds a fixed-point RatioTimeslices quantity for display. */
    public static double fromRatioScale(long scaled) {
        return BigDecimal.valueOf(scaled).divide(BigDecimal.valueOf(RATIO_SCALE), 9, RoundingMode.HALF_EVEN)
                .doubleValue();
    }
}
