package io.ebm.local;

import io.ebm.core.counts.MinuteCounts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * Exported counts: header {@code timestamp,slo,good,total}, one row per SLO per minute, {@code timestamp} the
 * minute's start in ISO-8601 UTC, each SLO's rows in time order. The file is streamed and never held: memory is
 * a buffer and the last minute of each series, whatever the file's length. The first bad row stops the read with
 * its file, line and field.
 *
 * <p>The reader works on the file's bytes: no string or object per row. A row's timestamp is parsed only when it
 * differs from the row before (rows of one minute come together), series names are matched as bytes against the
 * known names, and counts are read digit by digit. Anything unusual (another timestamp form, a sign, spaces) goes
 * through the standard parsers, which also word the errors.
 */
final class CountsCsv {

    static final String HEADER = "timestamp,slo,good,total";
    /** The longest row read: a longer one is an error, not a reason to grow the buffer. */
    static final int MAX_LINE = 64 * 1024;

    /** One checked row: the series by its index in the names given. */
    @FunctionalInterface
    interface RowSink {
        void row(int series, long epochMinute, long good, long total);
    }

    /** One checked row, with its series' name (one string per series, not per row). */
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
     * Checks every row, then hands each to {@code sink} in file order: for readers that write what they read
     * (a store), which must see nothing of a file with a bad row.
     */
    static Summary stream(Path file, Collection<String> knownNames, Order order, Consumer<Row> sink) {
        List<String> names = List.copyOf(knownNames);
        scan(file, names, order, (series, minute, good, total) -> { });
        return scan(file, names, order, (series, minute, good, total) ->
                sink.accept(new Row(minute, names.get(series), new MinuteCounts(good, total))));
    }

    /**
     * Reads the file once, handing on each row as soon as it is checked. A reader thread parses the bytes while
     * this thread hands on the rows before them (two cores do the two halves of the work), through a few
     * chunks of rows: memory stays a few megabytes whatever the file's length. {@code sink} runs on this thread,
     * in file order; its exception stops the reader and is thrown as is.
     */
    static Summary scan(Path file, List<String> names, Order order, RowSink sink) {
        InputStream in;
        try {
            in = Files.newInputStream(file);
        } catch (IOException e) {
            throw new UsageException(file + ": cannot read: " + e.getMessage());
        }
        Chunks chunks = new Chunks();
        Summary[] summary = new Summary[1];
        Thread reader = new Thread(() -> {
            try (in) {
                summary[0] = new Scanner(file, names, order, in, chunks).run();
                chunks.finish(null);
            } catch (IOException e) {
                chunks.finish(new UsageException(file + ": cannot read: " + e.getMessage()));
            } catch (Chunks.Cancelled e) {
                // the consumer stopped first: nobody waits for the end
            } catch (RuntimeException e) {
                chunks.finish(e);
            } catch (Error e) {
                chunks.finish(new IllegalStateException(file + ": the reader failed: " + e, e));
            }
        }, "ebm-csv-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            for (Chunk c = chunks.next(); c != null; c = chunks.next()) {
                for (int i = 0; i < c.size; i++) {
                    sink.row(c.series[i], c.minute[i], c.good[i], c.total[i]);
                }
                chunks.recycle(c);
            }
        } finally {
            chunks.cancel();
        }
        return summary[0];
    }

    /** Rows handed from the reader thread, column by column. */
    private static final class Chunk {
        static final int ROWS = 16_384;
        final int[] series = new int[ROWS];
        final long[] minute = new long[ROWS];
        final long[] good = new long[ROWS];
        final long[] total = new long[ROWS];
        int size;
    }

    /** Full chunks to the consumer, empty ones back; the reader's end (or failure) after its last chunk. */
    private static final class Chunks {
        private static final Chunk END = new Chunk();
        private final java.util.concurrent.ArrayBlockingQueue<Chunk> full = new java.util.concurrent.ArrayBlockingQueue<>(4);
        private final java.util.concurrent.ArrayBlockingQueue<Chunk> empty = new java.util.concurrent.ArrayBlockingQueue<>(6);
        private volatile boolean cancelled;
        private volatile RuntimeException failure;

        Chunks() {
            for (int i = 0; i < 6; i++) {
                empty.add(new Chunk());
            }
        }

        /** Thrown in the reader once the consumer has stopped. */
        static final class Cancelled extends RuntimeException {
            Cancelled() {
                super(null, null, false, false);
            }
        }

        /** The reader's: an empty chunk to fill. */
        Chunk take() {
            while (!cancelled) {
                try {
                    Chunk c = empty.poll(50, java.util.concurrent.TimeUnit.MILLISECONDS);
                    if (c != null) {
                        c.size = 0;
                        return c;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            throw new Cancelled();
        }

        /** The reader's: a filled chunk. */
        void hand(Chunk c) {
            while (!cancelled) {
                try {
                    if (full.offer(c, 50, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            throw new Cancelled();
        }

        void finish(RuntimeException e) {
            failure = e;
            hand(END);
        }

        /** The consumer's: the next chunk, null after the last; the reader's failure is thrown here, in order. */
        Chunk next() {
            Chunk c;
            try {
                c = full.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading counts");
            }
            if (c == END) {
                if (failure != null) {
                    throw failure;
                }
                return null;
            }
            return c;
        }

        void recycle(Chunk c) {
            empty.offer(c);
        }

        void cancel() {
            cancelled = true;
        }
    }

    /** One read of one file. */
    private static final class Scanner {
        private final Path file;
        private final List<String> names;
        private final Order order;
        private final InputStream in;
        private final Chunks chunks;
        private final SeriesNames lookup;
        private final long[] lastBySeries;
        private final byte[] buf = new byte[1 << 20];
        private int len;
        private int pos;
        private int line;
        private final byte[] lastTimestamp = new byte[64];
        private int lastTimestampLength = -1;
        private long lastTimestampMinute;
        private int expected;

        Scanner(Path file, List<String> names, Order order, InputStream in, Chunks chunks) {
            this.file = file;
            this.names = names;
            this.order = order;
            this.in = in;
            this.chunks = chunks;
            this.lookup = new SeriesNames(names);
            this.lastBySeries = new long[names.size()];
            Arrays.fill(lastBySeries, Long.MIN_VALUE);
        }

        Summary run() throws IOException {
            header();
            Chunk chunk = chunks.take();
            try {
                return rows(chunk);
            } catch (UsageException e) {
                // the rows before the bad one go first, so that an earlier row's error still wins
                chunks.hand(current);
                throw e;
            }
        }

        /** The chunk being filled. */
        private Chunk current;

        private Summary rows(Chunk first) throws IOException {
            long rows = 0;
            long newest = Long.MIN_VALUE;
            Chunk chunk = first;
            current = chunk;
            int[] cut = new int[5];
            while (true) {
                // one pass over the row's bytes finds its commas and its end
                int fields = nextRow(cut);
                if (fields < 0) {
                    break;
                }
                if (fields == 0) {
                    continue; // a blank line
                }
                if (fields != 4) {
                    throw bad(null, "expected 4 fields (" + HEADER + "), got " + fields);
                }
                long minute = timestamp(cut[0], cut[1] - 1);
                int series = series(cut[1], cut[2] - 1);
                long good = count("good", cut[2], cut[3] - 1);
                long total = count("total", cut[3], cut[4]);
                if (good > total) {
                    throw bad("good", "good " + good + " is greater than total " + total + " (slo "
                            + names.get(series) + ", minute " + Instant.ofEpochSecond(minute * 60) + ")");
                }
                long last = lastBySeries[series];
                if (last == minute) {
                    throw bad("timestamp", "a second row for slo " + names.get(series) + " at "
                            + Instant.ofEpochSecond(minute * 60) + "; expected one per minute");
                }
                if (last > minute) {
                    throw bad("timestamp", "rows of slo " + names.get(series) + " out of time order: "
                            + Instant.ofEpochSecond(minute * 60) + " after " + Instant.ofEpochSecond(last * 60)
                            + "; sort the file by timestamp");
                }
                if (order == Order.WHOLE_FILE && minute < newest) {
                    throw bad("timestamp", "rows out of time order: " + Instant.ofEpochSecond(minute * 60)
                            + " after " + Instant.ofEpochSecond(newest * 60)
                            + "; seed needs the file sorted by timestamp");
                }
                lastBySeries[series] = minute;
                newest = Math.max(newest, minute);
                rows++;
                int k = chunk.size++;
                chunk.series[k] = series;
                chunk.minute[k] = minute;
                chunk.good[k] = good;
                chunk.total[k] = total;
                if (chunk.size == Chunk.ROWS) {
                    chunks.hand(chunk);
                    chunk = chunks.take();
                    current = chunk;
                }
            }
            if (chunk.size > 0) {
                chunks.hand(chunk);
            }
            return new Summary(rows, newest);
        }

        private void header() throws IOException {
            int end = nextLine();
            if (end < 0) {
                throw bad(null, "expected the header '" + HEADER + "', the file is empty");
            }
            String header = new String(buf, pos, end - pos, StandardCharsets.UTF_8);
            pos = end + 1;
            if (header.startsWith("\uFEFF")) {
                header = header.substring(1);
            }
            if (!HEADER.equals(header.strip())) {
                throw bad(null, "expected the header '" + HEADER + "', got '" + header.strip() + "'");
            }
        }

        /** The index of the next line's '\n', -1 at the end (the header's read). */
        private int nextLine() throws IOException {
            while (true) {
                for (int i = pos; i < len; i++) {
                    if (buf[i] == '\n') {
                        line++;
                        return i;
                    }
                }
                if (!fill()) {
                    return -1;
                }
            }
        }

        /**
         * Reads the next row: field starts in cut[0..3] (each field ends one before the next start), its end
         * (before any '\r') in cut[4]; returns the number of fields, 0 for a blank line, -1 at the end.
         */
        private int nextRow(int[] cut) throws IOException {
            while (true) {
                int fields = 1;
                int from = pos;
                cut[0] = from;
                byte[] b = buf;
                for (int i = from, n = len; i < n; i++) {
                    byte c = b[i];
                    if (c == ',') {
                        if (fields < 4) {
                            cut[fields] = i + 1;
                        }
                        fields++;
                    } else if (c == '\n') {
                        line++;
                        if (i - from > MAX_LINE) {
                            throw bad(null, "a row longer than " + MAX_LINE + " bytes; expected " + HEADER);
                        }
                        pos = i + 1;
                        int stop = i > from && b[i - 1] == '\r' ? i - 1 : i;
                        cut[4] = stop;
                        return fields == 1 && blank(from, stop) ? 0 : fields;
                    }
                }
                if (!fill()) {
                    return -1;
                }
            }
        }

        /** Keeps the partial row and reads more behind it; false at the end of the file. */
        private boolean fill() throws IOException {
            if (len - pos >= MAX_LINE) {
                line++;
                throw bad(null, "a row longer than " + MAX_LINE + " bytes; expected " + HEADER);
            }
            System.arraycopy(buf, pos, buf, 0, len - pos);
            len -= pos;
            pos = 0;
            int n = in.read(buf, len, buf.length - len);
            if (n < 0) {
                if (len == 0) {
                    return false;
                }
                buf[len++] = '\n'; // a last row without a newline
                return true;
            }
            len += n;
            return true;
        }

        private boolean blank(int from, int to) {
            for (int i = from; i < to; i++) {
                if (buf[i] > ' ') {
                    return false;
                }
            }
            return true;
        }

        private String text(int from, int to) {
            return new String(buf, from, to - from, StandardCharsets.UTF_8);
        }

        private long timestamp(int from, int to) {
            int n = to - from;
            if (n == lastTimestampLength && Arrays.equals(buf, from, to, lastTimestamp, 0, n)) {
                return lastTimestampMinute;
            }
            long seconds = n == 20 ? isoSeconds(from) : Long.MIN_VALUE;
            if (seconds == Long.MIN_VALUE) {
                String raw = text(from, to);
                Instant ts;
                try {
                    ts = Instant.parse(raw.strip());
                } catch (DateTimeParseException e) {
                    throw bad("timestamp", "expected an ISO-8601 UTC instant such as 2026-11-01T00:00:00Z, got '"
                            + raw + "'");
                }
                if (ts.getNano() != 0) {
                    throw bad("timestamp", "expected the start of a minute (seconds 00), got " + ts);
                }
                seconds = ts.getEpochSecond();
            }
            if (seconds % 60 != 0) {
                throw bad("timestamp", "expected the start of a minute (seconds 00), got "
                        + Instant.ofEpochSecond(seconds));
            }
            if (n <= lastTimestamp.length) {
                System.arraycopy(buf, from, lastTimestamp, 0, n);
                lastTimestampLength = n;
                lastTimestampMinute = seconds / 60;
            }
            return seconds / 60;
        }

        /** {@code yyyy-MM-ddTHH:mm:ssZ} read digit by digit; Long.MIN_VALUE for anything else. */
        private long isoSeconds(int at) {
            byte[] b = buf;
            if (b[at + 4] != '-' || b[at + 7] != '-' || b[at + 10] != 'T' || b[at + 13] != ':' || b[at + 16] != ':'
                    || b[at + 19] != 'Z') {
                return Long.MIN_VALUE;
            }
            int year = digits(at, 4);
            int month = digits(at + 5, 2);
            int day = digits(at + 8, 2);
            int hour = digits(at + 11, 2);
            int minute = digits(at + 14, 2);
            int second = digits(at + 17, 2);
            if (year < 1 || month < 1 || month > 12 || day < 1 || day > 28 && day > lengthOf(year, month)
                    || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
                return Long.MIN_VALUE; // out of range, or not digits: the standard parser words it
            }
            return daysFromCivil(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second;
        }

        private int digits(int at, int n) {
            int v = 0;
            for (int i = at; i < at + n; i++) {
                int d = buf[i] - '0';
                if (d < 0 || d > 9) {
                    return -1_000_000;
                }
                v = v * 10 + d;
            }
            return v;
        }

        private static int lengthOf(int year, int month) {
            return java.time.YearMonth.of(year, month).lengthOfMonth();
        }

        /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
        private static long daysFromCivil(int y, int m, int d) {
            y -= m <= 2 ? 1 : 0;
            long era = Math.floorDiv(y, 400);
            long yoe = y - era * 400;
            long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
            long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
            return era * 146_097 + doe - 719_468;
        }

        private int series(int from, int to) {
            int i = lookup.find(buf, from, to, expected);
            if (i < 0) {
                String slo = text(from, to).strip();
                i = names.indexOf(slo);
                if (i < 0) {
                    throw bad("slo", "no loaded SLO reads counts named '" + slo + "'; known names: "
                            + names.stream().sorted().toList());
                }
            }
            expected = i + 1 == names.size() ? 0 : i + 1;
            return i;
        }

        private long count(String field, int from, int to) {
            int n = to - from;
            if (n > 0 && n <= 18) {
                long v = 0;
                boolean plain = true;
                for (int i = from; i < to; i++) {
                    int d = buf[i] - '0';
                    if (d < 0 || d > 9) {
                        plain = false;
                        break;
                    }
                    v = v * 10 + d;
                }
                if (plain) {
                    return v;
                }
            }
            String raw = text(from, to);
            try {
                long v = Long.parseLong(raw.strip());
                if (v < 0) {
                    throw bad(field, "expected a count >= 0, got " + v);
                }
                return v;
            } catch (NumberFormatException e) {
                throw bad(field, "expected a whole number >= 0, got '" + raw + "'");
            }
        }

        private UsageException bad(String field, String message) {
            return new UsageException(file + ": line " + line + (field == null ? "" : ": field " + field) + ": "
                    + message);
        }
    }

    /** The known series names as bytes, found by hash without making a string. */
    private static final class SeriesNames {
        private final byte[][] names;
        private final int[] table;
        private final int mask;

        SeriesNames(List<String> list) {
            names = new byte[list.size()][];
            int size = Integer.highestOneBit(Math.max(4, list.size() * 4) - 1) << 1;
            table = new int[size];
            Arrays.fill(table, -1);
            mask = size - 1;
            for (int i = 0; i < list.size(); i++) {
                names[i] = list.get(i).getBytes(StandardCharsets.UTF_8);
                int h = hash(names[i], 0, names[i].length) & mask;
                while (table[h] >= 0) {
                    h = (h + 1) & mask;
                }
                table[h] = i;
            }
        }

        /** The index of the name in {@code b[from, to)}, -1 if none (or if it needs stripping). */
        int find(byte[] b, int from, int to, int expected) {
            if (expected < names.length && Arrays.equals(b, from, to, names[expected], 0, names[expected].length)) {
                return expected; // rows of one minute come in the same order as the minute before
            }
            int h = hash(b, from, to) & mask;
            while (table[h] >= 0) {
                byte[] n = names[table[h]];
                if (Arrays.equals(b, from, to, n, 0, n.length)) {
                    return table[h];
                }
                h = (h + 1) & mask;
            }
            return -1;
        }

        private static int hash(byte[] b, int from, int to) {
            int h = 0;
            for (int i = from; i < to; i++) {
                h = 31 * h + b[i];
            }
            return h ^ (h >>> 16);
        }
    }
}
