package io.ebm.local;

import io.ebm.core.counts.MinuteCounts;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Exported counts: header {@code timestamp,slo,good,total}, one row per SLO per minute, {@code timestamp} the
 * minute's start in ISO-8601 UTC, each SLO's rows in time order. The file is read twice and never held: first
 * every row is checked (the first bad row stops the read with its file, line and field, before anything is
 * used), then each is handed on. Memory is the last minute of each series, whatever the file's length.
 */
final class CountsCsv {

    static final String HEADER = "timestamp,slo,good,total";

    /** One checked row. */
    record Row(long epochMinute, String slo, MinuteCounts counts) {
    }

    /** What a read saw: how many rows, and the minute of the newest. */
    record Summary(long rows, long lastMinute) {
    }

    /** How the rows must be ordered: each series by time (evaluate), or the whole file by time (seed). */
    enum Order { PER_SERIES, WHOLE_FILE }

    private CountsCsv() {
    }

    /**
     * Checks every row, then hands each to {@code sink} in file order. {@code knownSlo} decides which names are
     * accepted.
     */
    static Summary stream(Path file, Predicate<String> knownSlo, Set<String> knownNames, Order order,
                          Consumer<Row> sink) {
        Summary checked = pass(file, knownSlo, knownNames, order, row -> { });
        pass(file, knownSlo, knownNames, order, sink);
        return checked;
    }

    private static Summary pass(Path file, Predicate<String> knownSlo, Set<String> knownNames, Order order,
                                Consumer<Row> sink) {
        Map<String, Long> lastBySeries = new HashMap<>();
        Timestamps timestamps = new Timestamps();
        long rows = 0;
        long newest = Long.MIN_VALUE;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) {
                throw bad(file, 1, null, "expected the header '" + HEADER + "', the file is empty");
            }
            if (header.startsWith("\uFEFF")) {
                header = header.substring(1);
            }
            if (!HEADER.equals(header.strip())) {
                throw bad(file, 1, null, "expected the header '" + HEADER + "', got '" + header + "'");
            }
            String line;
            int n = 1;
            while ((line = in.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                Row row = parse(file, n, line, knownSlo, knownNames, timestamps);
                Long last = lastBySeries.put(row.slo(), row.epochMinute());
                if (last != null && last == row.epochMinute()) {
                    throw bad(file, n, "timestamp", "a second row for slo " + row.slo() + " at "
                            + Instant.ofEpochSecond(row.epochMinute() * 60) + "; expected one per minute");
                }
                if (last != null && last > row.epochMinute()) {
                    throw bad(file, n, "timestamp", "rows of slo " + row.slo() + " out of time order: "
                            + Instant.ofEpochSecond(row.epochMinute() * 60) + " after "
                            + Instant.ofEpochSecond(last * 60) + "; sort the file by timestamp");
                }
                if (order == Order.WHOLE_FILE && row.epochMinute() < newest) {
                    throw bad(file, n, "timestamp", "rows out of time order: "
                            + Instant.ofEpochSecond(row.epochMinute() * 60) + " after "
                            + Instant.ofEpochSecond(newest * 60) + "; seed needs the file sorted by timestamp");
                }
                newest = Math.max(newest, row.epochMinute());
                rows++;
                sink.accept(row);
            }
        } catch (IOException e) {
            throw new UsageException(file + ": cannot read: " + e.getMessage());
        }
        return new Summary(rows, newest);
    }

    /** Rows of one minute come together: each timestamp text is parsed once. */
    private static final class Timestamps {
        private String lastText;
        private Instant last;

        Instant parse(String text) {
            if (!text.equals(lastText)) {
                last = Instant.parse(text);
                lastText = text;
            }
            return last;
        }
    }

    private static Row parse(Path file, int n, String line, Predicate<String> knownSlo, Set<String> knownNames,
                             Timestamps timestamps) {
        String[] f = line.split(",", -1);
        if (f.length != 4) {
            throw bad(file, n, null, "expected 4 fields (" + HEADER + "), got " + f.length);
        }
        Instant ts;
        try {
            ts = timestamps.parse(f[0].strip());
        } catch (DateTimeParseException e) {
            throw bad(file, n, "timestamp", "expected an ISO-8601 UTC instant such as 2026-11-01T00:00:00Z, got '"
                    + f[0] + "'");
        }
        if (ts.getEpochSecond() % 60 != 0 || ts.getNano() != 0) {
            throw bad(file, n, "timestamp", "expected the start of a minute (seconds 00), got " + ts);
        }
        String slo = f[1].strip();
        if (!knownSlo.test(slo)) {
            throw bad(file, n, "slo", "no loaded SLO reads counts named '" + slo + "'; known names: "
                    + knownNames.stream().sorted().toList());
        }
        long good = count(file, n, "good", f[2]);
        long total = count(file, n, "total", f[3]);
        if (good > total) {
            throw bad(file, n, "good", "good " + good + " is greater than total " + total + " (slo " + slo
                    + ", minute " + ts + ")");
        }
        return new Row(ts.getEpochSecond() / 60, slo, new MinuteCounts(good, total));
    }

    private static long count(Path file, int n, String field, String text) {
        try {
            long v = Long.parseLong(text.strip());
            if (v < 0) {
                throw bad(file, n, field, "expected a count >= 0, got " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw bad(file, n, field, "expected a whole number >= 0, got '" + text + "'");
        }
    }

    private static UsageException bad(Path file, int line, String field, String message) {
        return new UsageException(file + ": line " + line + (field == null ? "" : ": field " + field) + ": " + message);
    }

}
