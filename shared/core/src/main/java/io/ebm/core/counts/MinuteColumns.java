package io.ebm.core.counts;

import java.util.Arrays;

/**
 * Cumulative sums by minute of a few columns (good, total, and for slices bad and valid), held compactly: in
 * blocks of {@link #BLOCK} minutes, each with the sums before its first minute. The newest block keeps one
 * cumulative value per minute (appends are O(1) there); older blocks keep each
 * minute's own value, bit-packed against the block's smallest (frame of reference), which is 1 to 2 bytes a
 * minute for ordinary traffic instead of 8 per column. A cumulative value inside a packed block is its start (or
 * the next block's start) plus the values up to the minute, read from the nearer end.
 *
 * <p>The first column is packed as the difference from the second (total − good: the bad events), which is small
 * where the good events are not. Sums are absolute since the first minute ever added: the cumulative value
 * before it is 0. The caller keeps minutes inside the retained range; this class keeps whole blocks around it.
 */
final class MinuteColumns {

    /** Minutes a block holds: a divisor of a day, so blocks line up with hours and days. */
    static final int BLOCK = 240;
    /**
     * Blocks kept as plain cumulative values: the newest. A late minute in an older block unpacks and packs it
     * again (a few microseconds): rare enough that the memory of a second raw block is not worth it.
     */
    private static final int RAW_BLOCKS = 1;

    private final int columns;
    private final int slots;
    /** Which block each ring slot holds (Long.MIN_VALUE: none). */
    private final long[] blockOf;
    /** The cumulative value of each column before the block's first minute, slot by slot. */
    private final long[] start;
    /** Raw blocks: column-major cumulative values since the block's start, one per minute; null when packed. */
    private final long[][] raw;
    /** Packed blocks: per column its minimum, then one long of widths, then the bits; null when raw. */
    private final long[][] packed;

    /**
     * Where the last read of each window edge inside a packed block landed (block, minute offset, the sums there
     * as packed): an edge moves a few minutes a step, so its next read decodes those minutes instead of up to
     * half a block. The reader names the edge (a snapshot's windows are the same every evaluation), so a read
     * looks at one cursor, not at all of them. Writes to the newest block leave them valid; a write into a
     * packed block forgets them.
     */
    static final int CURSORS = 16;
    /** A read that names no edge: it neither uses a cursor nor moves one. */
    static final int NO_CURSOR = -1;
    private final long[] cursorBlock = new long[CURSORS];
    private final int[] cursorOff = new int[CURSORS];
    private final long[] cursorCum;

    /** The newest block: its first minute and its slot. */
    private long newestStart;
    private int newestSlot;

    /** How many writes were made: a reader may keep what it read while this stays the same. */
    long writes;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;

    MinuteColumns(int columns, long retainMinutes) {
        if (columns < 2 || columns > 8) {
            throw new IllegalArgumentException("2 to 8 columns, got " + columns);
        }
        this.columns = columns;
        this.slots = (int) ((retainMinutes + BLOCK - 1) / BLOCK) + RAW_BLOCKS + 1;
        this.blockOf = new long[slots];
        Arrays.fill(blockOf, Long.MIN_VALUE);
        this.start = new long[slots * columns];
        this.raw = new long[slots][];
        this.packed = new long[slots][];
        this.cursorCum = new long[CURSORS * columns];
        dropCursors();
    }

    boolean isEmpty() {
        return last == Long.MIN_VALUE;
    }

    /** Adds {@code deltas} (one per column) to the value of {@code minute}; minutes between are empty. */
    void add(long minute, long[] deltas) {
        writes++;
        if (minute > last && last != Long.MIN_VALUE && minute - newestStart < BLOCK) {
            // the usual case: a newer minute of the newest block
            long[] r = raw[newestSlot];
            int from = (int) (last - newestStart);
            int off = (int) (minute - newestStart);
            for (int c = 0; c < columns; c++) {
                int base = c * BLOCK;
                long v = r[base + from];
                for (int i = base + from + 1; i < base + off; i++) {
                    r[i] = v;
                }
                r[base + off] = v + deltas[c];
            }
            last = minute;
            return;
        }
        if (minute < newestStart || isEmpty()) {
            dropCursors(); // a packed block, or the starts after it, may change: what cursors hold is gone
        }
        long b = Math.floorDiv(minute, BLOCK);
        if (isEmpty()) {
            openRaw(b, new long[columns]);
            first = minute;
            last = minute;
        } else if (minute > last) {
            advanceTo(minute);
        }
        if (minute < first) {
            long firstBlock = Math.floorDiv(first, BLOCK);
            for (long e = b; e < firstBlock; e++) {
                // blocks before the first minute: nothing before them, so they start at 0
                initEmpty(e, new long[columns]);
            }
            first = minute;
        }
        int s = slot(b);
        if (blockOf[s] != b) {
            throw new IllegalStateException("minute " + minute + " is outside the held blocks");
        }
        boolean wasPacked = raw[s] == null;
        if (wasPacked) {
            unpack(s);
        }
        int off = (int) (minute - b * BLOCK);
        // the newest block holds values through the newest minute only; older blocks are complete
        int end = b == Math.floorDiv(last, BLOCK) ? (int) (last - b * BLOCK) : BLOCK - 1;
        long[] r = raw[s];
        for (int c = 0; c < columns; c++) {
            long d = deltas[c];
            if (d != 0) {
                int base = c * BLOCK;
                for (int i = base + off; i <= base + end; i++) {
                    r[i] += d;
                }
            }
        }
        if (wasPacked) {
            pack(s);
        }
        long lastBlock = Math.floorDiv(last, BLOCK);
        for (long e = b + 1; e <= lastBlock; e++) {
            int t = slot(e);
            for (int c = 0; c < columns; c++) {
                start[t * columns + c] += deltas[c];
            }
        }
    }

    /** The cumulative values through {@code minute} (first ≤ minute ≤ last, retained) into {@code out}. */
    void cumulative(long minute, long[] out) {
        cumulative(minute, out, NO_CURSOR);
    }

    /** {@link #cumulative(long, long[])} for the window edge {@code cursor} (0 to {@link #CURSORS} − 1, or none). */
    void cumulative(long minute, long[] out, int cursor) {
        long b = Math.floorDiv(minute, BLOCK);
        int s = slot(b);
        int off = (int) (minute - b * BLOCK);
        long[] r = raw[s];
        if (r != null) {
            for (int c = 0; c < columns; c++) {
                out[c] = start[s * columns + c] + r[c * BLOCK + off];
            }
            return;
        }
        long[] p = packed[s];
        // from where this edge was read last (a few minutes before), unless a block end is nearer
        if (cursor >= 0 && cursorBlock[cursor] == b && cursorOff[cursor] <= off
                && off - cursorOff[cursor] < Math.min(off + 1, BLOCK - off - 1)) {
            int from = cursorOff[cursor] + 1;
            for (int c = 0; c < columns; c++) {
                out[c] = cursorCum[cursor * columns + c] + sumValues(p, c, from, off + 1);
            }
        } else {
            // the first column is packed as its difference from the second (total − good)
            int from = off < BLOCK / 2 ? s : slot(b + 1);
            long difference = start[from * columns + 1] - start[from * columns];
            for (int c = 0; c < columns; c++) {
                long base = c == 0 ? difference : start[from * columns + c];
                out[c] = off < BLOCK / 2 ? base + sumValues(p, c, 0, off + 1) : base - sumValues(p, c, off + 1, BLOCK);
            }
        }
        if (cursor >= 0) {
            cursorBlock[cursor] = b;
            cursorOff[cursor] = off;
            for (int c = 0; c < columns; c++) { // two to eight values: a loop, not C1's array-copy stub
                cursorCum[cursor * columns + c] = out[c];
            }
        }
        out[0] = out[1] - out[0];
    }

    /** Forgets every cursor: a write outside the newest block may have changed what they hold. */
    private void dropCursors() {
        Arrays.fill(cursorBlock, Long.MIN_VALUE);
    }

    /** Moves the newest minute to {@code minute}: the minutes between are empty. */
    private void advanceTo(long minute) {
        long lastBlock = Math.floorDiv(last, BLOCK);
        long b = Math.floorDiv(minute, BLOCK);
        int s = slot(lastBlock);
        // the minutes after the newest one hold nothing: its cumulative values carry on to them
        carry(raw[s], (int) (last - lastBlock * BLOCK), b == lastBlock ? (int) (minute - b * BLOCK) + 1 : BLOCK);
        if (b > lastBlock) {
            long[] carried = new long[columns];
            for (int c = 0; c < columns; c++) {
                carried[c] = start[s * columns + c] + raw[s][c * BLOCK + BLOCK - 1];
            }
            for (long e = Math.max(lastBlock + 1, b - slots + 1); e < b; e++) {
                initEmpty(e, carried);
            }
            openRaw(b, carried);
            for (long e = Math.max(lastBlock - RAW_BLOCKS, b - slots + 1); e <= b - RAW_BLOCKS; e++) {
                int t = slot(e);
                if (blockOf[t] == e && raw[t] != null) {
                    pack(t);
                }
            }
        }
        last = minute;
    }

    /** Copies the cumulative values at offset {@code from} to the offsets after it, up to {@code to} (exclusive). */
    private void carry(long[] r, int from, int to) {
        for (int c = 0; c < columns; c++) {
            int base = c * BLOCK;
            long v = r[base + from];
            for (int i = base + from + 1; i < base + to; i++) {
                r[i] = v;
            }
        }
    }

    /** A raw block whose every minute so far holds nothing: its cumulative values are 0 from its start. */
    private void openRaw(long b, long[] startValues) {
        int s = slot(b);
        newestStart = b * BLOCK;
        newestSlot = s;
        blockOf[s] = b;
        System.arraycopy(startValues, 0, start, s * columns, columns);
        raw[s] = new long[columns * BLOCK];
        packed[s] = null;
    }

    /** A packed block with no values (every minute empty), starting at {@code startValues}. */
    private void initEmpty(long b, long[] startValues) {
        int s = slot(b);
        blockOf[s] = b;
        System.arraycopy(startValues, 0, start, s * columns, columns);
        raw[s] = null;
        packed[s] = new long[columns + 1]; // minimums 0, widths 0
    }

    private void pack(int s) {
        long[] r = raw[s];
        long[][] values = new long[columns][BLOCK];
        long[] mins = new long[columns];
        int[] widths = new int[columns];
        int bits = 0;
        for (int c = 0; c < columns; c++) {
            long[] v = values[c];
            valuesOf(r, c, v);
            long min = Long.MAX_VALUE;
            for (long x : v) {
                min = Math.min(min, x);
            }
            long spread = 0;
            for (long x : v) {
                spread |= x - min;
            }
            mins[c] = min;
            widths[c] = 64 - Long.numberOfLeadingZeros(spread);
            bits += widths[c] * BLOCK;
        }
        long[] p = new long[columns + 1 + (bits + 63) / 64];
        long widthWord = 0;
        long pos = 0;
        for (int c = 0; c < columns; c++) {
            p[c] = mins[c];
            widthWord |= (long) widths[c] << (8 * c);
            int w = widths[c];
            if (w > 0) {
                for (long x : values[c]) {
                    put(p, columns + 1, pos, w, x - mins[c]);
                    pos += w;
                }
            }
        }
        p[columns] = widthWord;
        packed[s] = p;
        raw[s] = null;
    }

    /** The values of column {@code c} minute by minute (the first column as its difference from the second). */
    private void valuesOf(long[] r, int c, long[] values) {
        long prev = 0;
        long prevOther = 0;
        for (int i = 0; i < BLOCK; i++) {
            long cum = r[c * BLOCK + i];
            long v = cum - prev;
            prev = cum;
            if (c == 0) {
                long other = r[BLOCK + i];
                v = (other - prevOther) - v;
                prevOther = other;
            }
            values[i] = v;
        }
    }

    private void unpack(int s) {
        long[] p = packed[s];
        long[] r = new long[columns * BLOCK];
        for (int c = columns - 1; c >= 0; c--) {
            long cum = 0;
            for (int i = 0; i < BLOCK; i++) {
                cum += valueAt(p, c, i);
                r[c * BLOCK + i] = cum;
            }
        }
        for (int i = 0; i < BLOCK; i++) {
            r[i] = r[BLOCK + i] - r[i]; // back from total − good to good
        }
        raw[s] = r;
        packed[s] = null;
    }

    private long valueAt(long[] p, int c, int i) {
        int w = width(p, c);
        return w == 0 ? p[c] : p[c] + get(p, columns + 1, offset(p, c) + (long) i * w, w);
    }

    /** The sum of column {@code c}'s values at minutes [from, to) of a packed block. */
    private long sumValues(long[] p, int c, int from, int to) {
        int w = width(p, c);
        long sum = p[c] * (to - from);
        if (w > 0) {
            long pos = offset(p, c) + (long) from * w;
            for (int i = from; i < to; i++, pos += w) {
                sum += get(p, columns + 1, pos, w);
            }
        }
        return sum;
    }

    private int width(long[] p, int c) {
        return (int) (p[columns] >>> (8 * c)) & 0xFF;
    }

    /** Where column {@code c}'s bits begin. */
    private long offset(long[] p, int c) {
        long pos = 0;
        for (int k = 0; k < c; k++) {
            pos += (long) width(p, k) * BLOCK;
        }
        return pos;
    }

    private static void put(long[] a, int base, long pos, int w, long v) {
        int i = base + (int) (pos >>> 6);
        int shift = (int) (pos & 63);
        a[i] |= v << shift;
        if (shift + w > 64) {
            a[i + 1] |= v >>> (64 - shift);
        }
    }

    private static long get(long[] a, int base, long pos, int w) {
        int i = base + (int) (pos >>> 6);
        int shift = (int) (pos & 63);
        long v = a[i] >>> shift;
        if (shift + w > 64) {
            v |= a[i + 1] << (64 - shift);
        }
        return w == 64 ? v : v & ((1L << w) - 1);
    }

    private int slot(long block) {
        return (int) Math.floorMod(block, (long) slots);
    }
}
