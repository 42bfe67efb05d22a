package io.ebm.local;

import io.ebm.core.counts.MinuteCounts;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Exported counts: header {@code timestamp,slo,good,total}, one row per SLO per minute, {@code timestamp} the
 * minute's start in ISO-8601 UTC. The whole file is checked before anything is used; the first bad row stops
 * the read with its file, line and field.
 */
final class CountsCsv {

    static final String HEADER = "timestamp,slo,good,total";

    /** One checked row. */
    record Row(long epochMinute, String slo, MinuteCounts counts) {
    }

    private CountsCsv() {
    }

    /** Rows sorted by minute. {@code knownSlo} decides which names are accepted. */
    static List<Row> read(Path file, Predicate<String> knownSlo, Set<String> knownNames) {
        List<Row> rows = new ArrayList<>();
        Map<String, Set<Long>> seen = new HashMap<>();
        Timestamps timestamps = new Timestamps();
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
                rows.add(parse(file, n, line, knownSlo, knownNames, seen, timestamps));
            }
        } catch (IOException e) {
            throw new UsageException(file + ": cannot read: " + e.getMessage());
        }
        rows.sort(Comparator.comparingLong(Row::epochMinute));
        return rows;
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
                             Map<String, Set<Long>> seen, Timestamps timestamps) {
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
        long minute = ts.getEpochSecond() / 60;
        if (!seen.computeIfAbsent(slo, k -> new HashSet<>()).add(minute)) {
            throw bad(file, n, "timestamp", "a second row for slo " + slo + " at " + ts + "; expected one per minute");
        }
        return new Row(minute, slo, new MinuteCounts(good, total));
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
