package io.ebm.core.budget;

import io.ebm.core.counts.SliceGrid;
import io.ebm.core.slo.CalendarWindow;
import io.ebm.core.slo.TimeWindow;
import java.time.Instant;

/**
 * Time slices of a calendar window: counted from each period's start (local midnight of the first day, in the
 * window's time zone), every slice as long as the SLO says except the period's last, which ends with the period.
 * A Europe/Paris month with one-day slices so has slices from 23:00 UTC in winter, and in October a last slice of
 * one hour (the month is 745 hours long).
 */
final class CalendarSliceGrid implements SliceGrid {

    private final CalendarWindow window;
    private final int sliceMinutes;
    private long periodStart = Long.MAX_VALUE;
    private long periodEnd = Long.MIN_VALUE;

    CalendarSliceGrid(CalendarWindow window, int sliceMinutes) {
        if (sliceMinutes < 1) {
            throw new IllegalArgumentException("a slice must be at least one minute, got " + sliceMinutes);
        }
        this.window = window;
        this.sliceMinutes = sliceMinutes;
    }

    @Override
    public long startOf(long minute) {
        periodOf(minute);
        return periodStart + Math.floorDiv(minute - periodStart, sliceMinutes) * (long) sliceMinutes;
    }

    @Override
    public long endOf(long sliceStart) {
        periodOf(sliceStart);
        return Math.min(sliceStart + sliceMinutes, periodEnd);
    }

    @Override
    public int maxMinutes() {
        return sliceMinutes;
    }

    /** Finds the period holding {@code minute}; consecutive calls nearly always ask about the same one. */
    private void periodOf(long minute) {
        if (minute >= periodStart && minute < periodEnd) {
            return;
        }
        TimeWindow.Interval p = window.periodHolding(Instant.ofEpochSecond(minute * 60));
        periodStart = Math.floorDiv(p.start().getEpochSecond(), 60);
        periodEnd = Math.floorDiv(p.end().getEpochSecond(), 60);
    }

    @Override
    public String toString() {
        return sliceMinutes + "-minute slices from each period of " + window.describe();
    }
}
