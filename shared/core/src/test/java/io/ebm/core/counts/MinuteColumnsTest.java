package io.ebm.core.counts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The packed sums against plain per-minute arrays, under every kind of write the series makes. */
class MinuteColumnsTest {

    private static final long T0 = 29_000_017L; // not on a block boundary

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void cumulativeValuesEqualPlainSumsAfterAppendsGapsLateAndEarlyMinutes(long seed) {
        Random r = new Random(seed);
        int retain = 3000;
        int span = 9000;
        MinuteColumns cols = new MinuteColumns(4, retain);
        long[][] values = new long[4][span];
        long newest = Long.MIN_VALUE;
        long oldest = Long.MAX_VALUE;
        int m = 600 + r.nextInt(200);
        long[] deltas = new long[4];
        long[] out = new long[4];
        for (int step = 0; step < 20_000; step++) {
            int minute;
            int kind = r.nextInt(100);
            if (newest == Long.MIN_VALUE || kind < 70) {
                minute = m;
                m += r.nextInt(50) == 0 ? 1 + r.nextInt(700) : 1; // sometimes a gap longer than a block
                if (m >= span) {
                    break;
                }
            } else {
                // a late minute anywhere in the retained range, packed blocks included, or before the first
                long low = Math.max(0, newest - retain + 1);
                minute = (int) (low + r.nextInt((int) (newest - low + 1)));
                if (kind < 72 && oldest > low) {
                    minute = (int) (low + r.nextInt((int) (oldest - low)));
                }
            }
            long total = kind % 10 == 0 ? Long.MAX_VALUE / 1_000_000 - r.nextInt(1000) : r.nextInt(5000);
            long good = total - (r.nextBoolean() ? 0 : r.nextInt((int) Math.min(total, 40) + 1));
            long current = values[1][minute];
            if (current > Long.MAX_VALUE / 4) {
                total = 0;
                good = 0; // keep sums inside 64 bits
            }
            deltas[0] = good;
            deltas[1] = total;
            deltas[2] = r.nextInt(3) == 0 ? 5 * 1_000_000_000L : 0;
            deltas[3] = r.nextInt(4) == 0 ? -1 - r.nextInt(3) : r.nextInt(7);
            cols.add(T0 + minute, deltas);
            for (int c = 0; c < 4; c++) {
                values[c][minute] += deltas[c];
            }
            newest = Math.max(newest, minute);
            oldest = Math.min(oldest, minute);
            if (step % 7 == 0) {
                long low = Math.max(oldest, newest - retain + 1);
                int at = (int) (low + r.nextInt((int) (newest - low + 1)));
                cols.cumulative(T0 + at, out);
                for (int c = 0; c < 4; c++) {
                    long expected = 0;
                    for (int k = (int) oldest; k <= at; k++) {
                        expected += values[c][k];
                    }
                    assertThat(out[c]).as("column %d through minute %d (newest %d)", c, at, newest)
                            .isEqualTo(expected);
                }
            }
        }
        assertThat(newest).isGreaterThan(5000);
        // window edges moving a minute at a time (the reads cursors serve), several edges interleaved
        long low = Math.max(oldest, newest - retain + 1);
        long[] running = new long[4];
        for (int k = (int) oldest; k < low; k++) {
            for (int c = 0; c < 4; c++) {
                running[c] += values[c][k];
            }
        }
        long[] other = new long[4];
        for (long at = low; at <= newest; at++) {
            for (int c = 0; c < 4; c++) {
                running[c] += values[c][(int) at];
            }
            cols.cumulative(T0 + at, out);
            assertThat(out).as("sweep at %d", at).containsExactly(running);
            cols.cumulative(T0 + low + (at - low) / 3, other); // a second, slower edge between
        }
    }
}
