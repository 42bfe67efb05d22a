package io.ebm.core.store;

import io.ebm.core.counts.MinuteCounts;
import java.util.NavigableMap;

/** The part of the store that holds one-minute counts and the collector's progress: all the collector needs. */
public interface CountsStore {

    /** How recent a write may be and still go unnoted; a reader re-reads at least this much, plus clock skew. */
    long RECENT_MINUTES = 30;

    /**
     * Writes the given minutes of one series, replacing what those minutes held before: writing the same
     * minute twice never double-counts. Minutes not given are left as they were. The write is noted as a
     * {@link CountsChange} once its minutes are stored: a write that fails before its note is retried by the
     * collector. A store may leave unnoted a write that touches only the last {@link #RECENT_MINUTES} before its
     * clock (a collector's usual tick): readers read that much again on every run anyway.
     */
    void upsertCounts(String series, NavigableMap<Long, MinuteCounts> minutes);

    /** The minutes of [fromMinute, toMinute) that hold counts, by epoch minute; a missing minute is no data. */
    default NavigableMap<Long, MinuteCounts> counts(String series, long fromMinute, long toMinute) {
        NavigableMap<Long, MinuteCounts> out = new java.util.TreeMap<>();
        forEachCount(series, fromMinute, toMinute, out::put);
        return out;
    }

    /**
     * The minutes of [fromMinute, toMinute) that hold counts, handed to {@code sink} in time order as they are
     * read: a cold budget reads 30 days through this without building a map of 43,200 entries.
     */
    void forEachCount(String series, long fromMinute, long toMinute, MinuteSink sink);

    /** Receives one minute's counts. */
    @FunctionalInterface
    interface MinuteSink {
        void minute(long epochMinute, MinuteCounts counts);
    }

    // ---------------------------------------------------------------- marks (the collector's progress)

    /** Small named numbers, such as the minute the collector has read through; by key, for keys with this prefix. */
    java.util.Map<String, Long> marks(String prefix);

    void putMark(String key, long value);

    void clearMark(String key);
}
