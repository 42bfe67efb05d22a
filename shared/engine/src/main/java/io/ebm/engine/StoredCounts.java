package io.ebm.engine;

import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.store.CountsStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Stored counts of many series, fed in time order across all of them: a day of every series at a time. */
public final class StoredCounts {

    /** One minute of one series. */
    public interface Sink {
        void minute(String dataKey, long epochMinute, MinuteCounts counts);
    }

    private static final Duration CHUNK = Duration.ofDays(1);

    private StoredCounts() {
    }

    /** Feeds the counts of {@code keys} in [from, to), minute by minute across the series. */
    public static void feed(CountsStore store, Collection<String> keys, Instant from, Instant to, Sink sink) {
        for (Instant day = from; day.isBefore(to); day = day.plus(CHUNK)) {
            Instant dayEnd = day.plus(CHUNK).isBefore(to) ? day.plus(CHUNK) : to;
            TreeMap<Long, List<Map.Entry<String, MinuteCounts>>> minutes = new TreeMap<>();
            for (String key : keys) {
                store.counts(key, Math.floorDiv(day.getEpochSecond(), 60), Math.floorDiv(dayEnd.getEpochSecond(), 60))
                        .forEach((m, c) -> minutes.computeIfAbsent(m, x -> new ArrayList<>()).add(Map.entry(key, c)));
            }
            minutes.forEach((m, entries) -> entries.forEach(e -> sink.minute(e.getKey(), m, e.getValue())));
        }
    }
}
