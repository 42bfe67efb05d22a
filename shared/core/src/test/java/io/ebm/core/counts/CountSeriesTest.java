package io.ebm.core.counts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CountSeriesTest {

    private static final long T0 = 29_000_000L; // an epoch minute in 2025

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void occurrenceWindowsEqualABruteForceSumWithGapsAndLateMinutes(long seed) {
        Random r = new Random(seed);
        int minutes = 5000;
        long[] good = new long[minutes];
        long[] total = new long[minutes];
        boolean[] present = new boolean[minutes];
        CountSeries s = CountSeries.occurrences(2000);
        int[] order = new int[minutes];
        for (int i = 0; i < minutes; i++) {
            order[i] = i;
        }
        // mostly in order, with some minutes arriving up to 10 minutes late
        for (int i = 0; i + 1 < minutes; i++) {
            if (r.nextInt(20) == 0) {
                int j = Math.min(minutes - 1, i + 1 + r.nextInt(10));
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        for (int idx = 0; idx < minutes; idx++) {
            int m = order[idx];
            if (r.nextInt(7) == 0) {
                continue; // no data this minute
            }
            total[m] = r.nextInt(1000);
            good[m] = total[m] - r.nextInt((int) Math.min(total[m], 30) + 1);
            present[m] = true;
            s.add(T0 + m, new MinuteCounts(good[m], total[m]));
            if (idx > 2100 && r.nextInt(50) == 0) {
                int newest = maxAdded(order, idx);
                for (int len : new int[] {5, 60, 1440, 1999}) {
                    int end = newest + 1;
                    WindowCounts w = s.sum(T0 + end - len, T0 + end);
                    long g = 0;
                    long t = 0;
                    for (int k = Math.max(0, end - len); k < end; k++) {
                        if (present[k] && added(order, idx, k)) {
                            g += good[k];
                            t += total[k];
                        }
                    }
                    assertThat(w.total()).as("total over %d minutes", len).isEqualTo(t);
                    assertThat(w.good()).as("good over %d minutes", len).isEqualTo(g);
                    assertThat(w.bad()).isEqualTo(t - g);
                    assertThat(w.valid()).isEqualTo(t);
                }
            }
        }
    }

    private static int maxAdded(int[] order, int upTo) {
        int max = 0;
        for (int i = 0; i <= upTo; i++) {
            max = Math.max(max, order[i]);
        }
        return max;
    }

    private static boolean added(int[] order, int upTo, int minute) {
        for (int i = 0; i <= upTo; i++) {
            if (order[i] == minute) {
                return true;
            }
        }
        return false;
    }

    @Test
    void timeslicesCountASliceAtExactlyTheTargetAsGood() {
        CountSeries s = CountSeries.timeslices(1, new BigDecimal("0.99"), EmptySlices.EXCLUDE, 1440);
        s.add(T0, new MinuteCounts(99, 100));     // exactly 0.99: good
        s.add(T0 + 1, new MinuteCounts(98, 100)); // below: bad
        s.add(T0 + 2, new MinuteCounts(1000, 1000));
        s.advanceTo(T0 + 3);
        WindowCounts w = s.sum(T0, T0 + 3);
        assertThat(w.valid()).isEqualTo(3);
        assertThat(w.bad()).isEqualTo(1);
        assertThat(w.total()).isEqualTo(1200);
        assertThat(w.good()).isEqualTo(1197);
    }

    @Test
    void aSliceCountsOnlyOnceItIsComplete() {
        CountSeries s = CountSeries.timeslices(5, new BigDecimal("0.9"), EmptySlices.EXCLUDE, 1440);
        long start = T0 - Math.floorMod(T0, 5);
        s.add(start, new MinuteCounts(0, 10));
        s.add(start + 1, new MinuteCounts(10, 10));
        assertThat(s.sum(start, start + 5).valid()).isZero();
        s.advanceTo(start + 4);
        assertThat(s.sum(start, start + 5).valid()).isZero();
        s.advanceTo(start + 5);
        WindowCounts w = s.sum(start, start + 5);
        assertThat(w.valid()).isEqualTo(5); // slices are counted in minutes
        assertThat(w.bad()).isEqualTo(5); // 10 of 20 good < 0.9
        // a window that cuts through a slice leaves it out
        assertThat(s.sum(start + 1, start + 5).valid()).isZero();
    }

    @Test
    void aLateMinuteRevisesAClosedSlice() {
        CountSeries s = CountSeries.timeslices(1, new BigDecimal("0.95"), EmptySlices.EXCLUDE, 1440);
        s.add(T0, new MinuteCounts(90, 100)); // bad on its own
        s.add(T0 + 1, new MinuteCounts(100, 100));
        s.advanceTo(T0 + 2);
        assertThat(s.sum(T0, T0 + 2).bad()).isEqualTo(1);
        s.add(T0, new MinuteCounts(900, 900)); // late counts for the first minute: 990/1000 is good
        WindowCounts w = s.sum(T0, T0 + 2);
        assertThat(w.bad()).isZero();
        assertThat(w.total()).isEqualTo(1100);
    }

    @Test
    void emptySlicesAreExcludedByDefaultOrCountedAsConfigured() {
        for (EmptySlices mode : EmptySlices.values()) {
            CountSeries s = CountSeries.timeslices(1, new BigDecimal("0.95"), mode, 1440);
            s.add(T0, new MinuteCounts(100, 100));
            s.add(T0 + 3, new MinuteCounts(100, 100)); // minutes 1 and 2 saw nothing
            s.advanceTo(T0 + 4);
            WindowCounts w = s.sum(T0, T0 + 4);
            switch (mode) {
                case EXCLUDE -> assertThat(w.valid()).isEqualTo(2);
                case GOOD -> assertThat(w.valid()).isEqualTo(4);
                case BAD -> {
                    assertThat(w.valid()).isEqualTo(4);
                    assertThat(w.bad()).isEqualTo(2);
                }
            }
        }
    }

    @Test
    void ratioTimeslicesAverageTheSlicesOwnRatios() {
        // slo-math §5.3: (100,100) (100,100) (1,2) (900,1000) average to 0.85
        CountSeries s = CountSeries.ratioTimeslices(1, EmptySlices.EXCLUDE, 1440);
        s.add(T0, new MinuteCounts(100, 100));
        s.add(T0 + 1, new MinuteCounts(100, 100));
        s.add(T0 + 2, new MinuteCounts(1, 2));
        s.add(T0 + 3, new MinuteCounts(900, 1000));
        s.advanceTo(T0 + 4);
        WindowCounts w = s.sum(T0, T0 + 4);
        assertThat(w.valid()).isEqualTo(4 * CountSeries.RATIO_SCALE);
        assertThat(w.bad()).isEqualTo(CountSeries.RATIO_SCALE * 6 / 10); // 0.5 + 0.1
        assertThat(1 - (double) w.bad() / w.valid()).isEqualTo(0.85);
    }

    @Test
    void minutesOlderThanTheRetainedHistoryAreRefused() {
        CountSeries s = CountSeries.occurrences(60);
        s.add(T0, new MinuteCounts(1, 1));
        s.add(T0 + 100, new MinuteCounts(1, 1));
        assertThatThrownBy(() -> s.add(T0 + 1, new MinuteCounts(1, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("older than the retained history");
        // a window from the very first minute needs no evicted sum: everything since the start
        assertThat(s.sum(T0, T0 + 101).total()).isEqualTo(2);
        // a window starting after it needs the sum through T0, which has left the ring
        assertThatThrownBy(() -> s.sum(T0 + 1, T0 + 101)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("beyond the retained history");
        assertThat(s.sum(T0 + 50, T0 + 101).total()).isEqualTo(1);
    }

    @Test
    void windowsAfterTheNewestMinuteSeeNoNewData() {
        CountSeries s = CountSeries.occurrences(60);
        s.add(T0, new MinuteCounts(5, 10));
        assertThat(s.sum(T0 + 1, T0 + 30)).isEqualTo(WindowCounts.EMPTY);
        assertThat(s.sum(T0 - 30, T0 + 30).total()).isEqualTo(10);
    }

    @Test
    void badCountsAreRejectedNotClamped() {
        assertThatThrownBy(() -> new MinuteCounts(11, 10)).hasMessageContaining("good 11 is greater than total 10");
        assertThatThrownBy(() -> new MinuteCounts(-1, 10)).hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> new MinuteCounts(0, -10)).hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> MinuteCounts.of("api", 29_000_000L, 5, 4))
                .hasMessage("bucket api at 2025-02-19T21:20:00Z: good 5 is greater than total 4");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13, 14, 15, 16})
    void sliceWindowsEqualABruteForceCountWithGapsAndLateMinutes(long seed) {
        Random r = new Random(seed);
        int sliceMinutes = new int[] {1, 5, 10, 60}[(int) (seed % 4)];
        BigDecimal target = new BigDecimal("0.9");
        int minutes = 3000;
        long[] good = new long[minutes];
        long[] total = new long[minutes];
        CountSeries s = CountSeries.timeslices(sliceMinutes, target, EmptySlices.EXCLUDE, 2000);
        long base = T0 - Math.floorMod(T0, 60);
        for (int i = 0; i < minutes; i++) {
            if (r.nextInt(4) == 0) {
                continue; // a minute without data
            }
            total[i] = 1 + r.nextInt(20);
            good[i] = total[i] - (r.nextInt(5) == 0 ? r.nextInt((int) total[i] + 1) : 0);
            s.add(base + i, new MinuteCounts(good[i], total[i]));
            if (i > 5 && r.nextInt(10) == 0) {
                int late = i - 1 - r.nextInt(5); // a late datapoint for a recent minute, maybe a closed slice
                good[late] += 1;
                total[late] += 1;
                s.add(base + late, new MinuteCounts(1, 1));
            }
        }
        s.advanceTo(base + minutes);
        for (int k = 0; k < 200; k++) {
            int from = 1200 + r.nextInt(1700);
            int to = from + r.nextInt(minutes - from + 1);
            long bad = 0;
            long valid = 0;
            for (int slice = 0; slice + sliceMinutes <= minutes; slice += sliceMinutes) {
                if (slice < from || slice >= to) {
                    continue; // a window counts the complete slices that start inside it
                }
                long g = 0;
                long t = 0;
                for (int m = slice; m < slice + sliceMinutes; m++) {
                    g += good[m];
                    t += total[m];
                }
                if (t > 0) {
                    valid += sliceMinutes;
                    bad += BigDecimal.valueOf(g).compareTo(target.multiply(BigDecimal.valueOf(t))) < 0 ? sliceMinutes : 0;
                }
            }
            WindowCounts w = s.sum(base + from, base + to);
            assertThat(w.valid()).as("valid minutes in [%d, %d)", from, to).isEqualTo(valid);
            assertThat(w.bad()).as("bad minutes in [%d, %d)", from, to).isEqualTo(bad);
        }
    }
}
