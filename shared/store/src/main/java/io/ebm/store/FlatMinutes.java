package io.ebm.store;

import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.store.CountsStore;
import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Minutes as flat (minute, good, total, span) runs in one array, in the order added: what a store holds for a
 * while (a batch waiting for its flush) or hands on after its lock (a read), without an object per minute.
 */
final class FlatMinutes {

    private long[] values;
    private int size;

    FlatMinutes(int minutes) {
        values = new long[4 * Math.max(1, minutes)];
    }

    void add(long minute, long good, long total, long span) {
        if (size + 4 > values.length) {
            values = Arrays.copyOf(values, 2 * values.length);
        }
        values[size++] = minute;
        values[size++] = good;
        values[size++] = total;
        values[size++] = span;
    }

    /** How many minutes were added. */
    int minutes() {
        return size / 4;
    }

    void addAll(NavigableMap<Long, MinuteCounts> minutes) {
        for (Map.Entry<Long, MinuteCounts> m : minutes.entrySet()) {
            add(m.getKey(), m.getValue().good(), m.getValue().total(), m.getValue().minutes());
        }
    }

    /** Every minute in the order added. */
    void forEach(CountsStore.MinuteSink sink) {
        for (int i = 0; i < size; i += 4) {
            sink.minute(values[i], new MinuteCounts(values[i + 1], values[i + 2], (int) values[i + 3]));
        }
    }

    /** What {@link #forEachFlat} hands on: one minute as added. */
    interface FlatSink {
        void minute(long minute, long good, long total, int span);
    }

    /** Every minute in the order added, as numbers (no object a minute). */
    void forEachFlat(FlatSink sink) {
        for (int i = 0; i < size; i += 4) {
            sink.minute(values[i], values[i + 1], values[i + 2], (int) values[i + 3]);
        }
    }
}
