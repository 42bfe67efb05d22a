package io.ebm.local;

import io.ebm.engine.StoredCounts;
import io.ebm.store.SqliteBudgetStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Past counts in time order across all series, from a CSV export (rows in time order) or the embedded store (a
 * day at a time, every series of the day): what {@code replay} and {@code review} read.
 */
final class PastCounts {

    private PastCounts() {
    }

    /**
     * The options both readers of past counts share: the report's {@code --format} (text or json), and exactly one
     * of {@code --data} and {@code --db}. Returns the format.
     */
    static String checkedOptions(Options o, String command) {
        String format = o.get("format") == null ? "text" : o.get("format");
        if (!format.equals("json") && !format.equals("text")) {
            throw new UsageException(command + ": --format expects json or text, got '" + format + "'");
        }
        if ((o.get("data") == null) == (o.get("db") == null)) {
            throw new UsageException(command + ": give exactly one of --data <csv> and --db <file>");
        }
        return format;
    }

    /**
     * Feeds the CSV's rows in [from, to) (either may be null: no bound); returns where the data ends. A sink's
     * {@link IllegalArgumentException} names what is wrong with the input.
     */
    static Instant fromCsv(Path data, Set<String> keys, Instant from, Instant to,
                           StoredCounts.Sink sink) {
        long fromMinute = from == null ? Long.MIN_VALUE : Math.floorDiv(from.getEpochSecond(), 60);
        long toMinute = to == null ? Long.MAX_VALUE : Math.floorDiv(to.getEpochSecond(), 60);
        CountsCsv.Summary read = CountsCsv.stream(data, keys, CountsCsv.Order.WHOLE_FILE, r -> {
            if (r.epochMinute() >= fromMinute && r.epochMinute() < toMinute) {
                try {
                    sink.minute(r.slo(), r.epochMinute(), r.counts());
                } catch (IllegalArgumentException e) {
                    throw new UsageException(data + ": " + e.getMessage());
                }
            }
        });
        if (read.rows() == 0) {
            throw new UsageException(data + ": no data rows");
        }
        return to != null ? to : Instant.ofEpochSecond((read.lastMinute() + 1) * 60);
    }

    /** The span a store read covers: to its newest snapshot unless given, from {@code defaultSpan} before that. */
    record Span(Instant from, Instant to) {
    }

    static Span span(String command, SqliteBudgetStore store, Path db, Instant from, Instant to, Duration defaultSpan,
                     Duration maxSpan) {
        Instant end = to != null ? to : store.newestSnapshotTime().orElseThrow(() -> new UsageException(
                command + ": --db " + db + " holds no snapshot to end at; give --to"));
        Instant start = from != null ? from : end.minus(defaultSpan);
        if (!start.isBefore(end) || Duration.between(start, end).compareTo(maxSpan) > 0) {
            throw new UsageException(command + ": --from .. --to must be a span of at most " + maxSpan.toDays()
                    + " days, got " + start + " .. " + end);
        }
        return new Span(start, end);
    }

    /** Opens the store at {@code db}, which must exist (a read never creates one). */
    static SqliteBudgetStore open(String command, Path db) {
        if (!Files.exists(db)) {
            throw new UsageException(command + ": --db " + db + ": no such store");
        }
        return SqliteBudgetStore.open(db);
    }

    /** Feeds the store's counts of {@code keys} in the span, a day at a time, in time order. */
    static void fromStore(SqliteBudgetStore store, Set<String> keys, Span span, StoredCounts.Sink sink) {
        StoredCounts.feed(store, keys, span.from(), span.to(), sink);
    }
}
