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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        scan(file, order, () -> names, (series, minute, good, total) -> { });
        return scan(file, order, () -> names, (series, minute, good, total) ->
                sink.accept(new Row(minute, names.get(series), new MinuteCounts(good, total))));
    }

    /**
     * Reads the file once, handing on each row as soon as it is checked. A reader thread parses the bytes while
     * this thread first calls {@code names} (which may load the definitions that know the series: the two
     * overlap), then hands on the rows (two cores do the two halves of the work), through a few chunks of rows:
     * memory stays a few megabytes whatever the file's length. {@code sink} runs on this thread, in file order,
     * with each series as its index in {@code names}; its exception (or {@code names}') stops the reader and is
     * thrown as is. The first bad row, in file order, is the error.
     */
    static Summary scan(Path file, Order order, java.util.function.Supplier<List<String>> names, RowSink sink) {
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
                summary[0] = new Scanner(file, order, in, chunks).run();
                chunks.finish(null);
            } catch (IOException e) {
                chunks.finish(new ReadFailure(new UsageException(file + ": cannot read: " + e.getMessage()), -1));
            } catch (Chunks.Cancelled e) {
                // the consumer stopped first: nobody waits for the end
            } catch (ReadFailure e) {
                chunks.finish(e);
            } catch (RuntimeException e) {
                chunks.finish(new ReadFailure(e, -1));
            } catch (Error e) {
                chunks.finish(new ReadFailure(new IllegalStateException(file + ": the reader failed: " + e, e), -1));
            }
        }, "ebm-csv-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            List<String> known = names.get();
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < known.size(); i++) {
                index.put(known.get(i), i);
            }
            int[] mapped = new int[0]; // the reader's series ids to indexes in known
            for (Chunk c = chunks.next(); c != null; c = chunks.next()) {
                for (int i = 0; i < c.size; i++) {
                    int id = c.series[i];
                    if (id >= mapped.length) {
                        mapped = map(chunks.seen, index, mapped, id);
                    }
                    int series = mapped[id];
                    if (series < 0) {
                        throw unknown(file, c.line[i], chunks.seen.get(id), known);
                    }
                    sink.row(series, c.minute[i], c.good[i], c.total[i]);
                }
                chunks.recycle(c);
            }
            ReadFailure failure = chunks.failure;
            if (failure != null) {
                // a row whose name is unknown is named for that first, as its fields are read in order
                if (failure.series >= 0 && !index.containsKey(chunks.seen.get(failure.series))) {
                    throw unknown(file, failure.line, chunks.seen.get(failure.series), known);
                }
                throw failure.error;
            }
        } finally {
            chunks.cancel();
        }
        return summary[0];
    }

    private static int[] map(List<String> seen, Map<String, Integer> index, int[] mapped, int id) {
        int[] grown = Arrays.copyOf(mapped, Math.max(id + 1, seen.size()));
        for (int i = mapped.length; i < grown.length; i++) {
            grown[i] = index.getOrDefault(seen.get(i), -1);
        }
        return grown;
    }

    private static UsageException unknown(Path file, int line, String slo, List<String> known) {
        return new UsageException(file + ": line " + line + ": field slo: no loaded SLO reads counts named '" + slo
                + "'; known names: " + known.stream().sorted().toList());
    }

    /** A bad row found by the reader: its error, line, and its series id when the name was read before it. */
    private static final class ReadFailure extends RuntimeException {
        final RuntimeException error;
        final int series;
        int line;

        ReadFailure(RuntimeException error, int series) {
            super(null, null, false, false);
            this.error = error;
            this.series = series;
        }
    }

    /** Rows handed from the reader thread, column by column. */
    private static final class Chunk {
        static final int ROWS = 16_384;
        final int[] series = new int[ROWS];
        final int[] line = new int[ROWS];
        final long[] minute = new long[ROWS];
        final long[] good = new long[ROWS];
        final long[] total = new long[ROWS];
        int size;
    }

    /** Full chunks to the consumer, empty ones back; the reader's end (or failure) after its last chunk. */
    private static final class Chunks {
        private static final Chunk END = new Chunk();
        /** The series names the reader has seen, by id (appended by the reader, read after a chunk's hand-off). */
        final List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final java.util.concurrent.ArrayBlockingQueue<Chunk> full = new java.util.concurrent.ArrayBlockingQueue<>(4);
        private final java.util.concurrent.ArrayBlockingQueue<Chunk> empty = new java.util.concurrent.ArrayBlockingQueue<>(6);
        private volatile boolean cancelled;
        private volatile ReadFailure failure;

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

        void finish(ReadFailure e) {
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
        private final Order order;
        private final InputStream in;
        private final Chunks chunks;
        private final SeriesNames lookup;
        private long[] lastBySeries = new long[16];
        private final byte[] buf = new byte[1 << 20];
        private int len;
        private int pos;
        private int line;
        private final byte[] lastTimestamp = new byte[64];
        private int lastTimestampLength = -1;
        private long lastTimestampMinute;
        private int expected;

        Scanner(Path file, Order order, InputStream in, Chunks chunks) {
            this.file = file;
            this.order = order;
            this.in = in;
            this.chunks = chunks;
            this.lookup = new SeriesNames(chunks.seen);
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
                ReadFailure f = new ReadFailure(e, rowSeries);
                f.line = line;
                throw f;
            }
        }

        /** The chunk being filled. */
        private Chunk current;
        /** Whether the row being read is the usual one (see likelyRow). */
        private boolean likely;
        /** The series of the row being read, once its name is read (-1 before). */
        private int rowSeries = -1;

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
                rowSeries = -1;
                long minute;
                int series;
                if (likely) {
                    // its minute and series were compared whole
                    minute = lastTimestampMinute;
                    series = lookup.id(expected);
                    expected = expected + 1 == lookup.forms() ? 0 : expected + 1;
                } else {
                    minute = timestamp(cut[0], cut[1] - 1);
                    series = series(cut[1], cut[2] - 1);
                }
                rowSeries = series;
                long good = count("good", cut[2], cut[3] - 1);
                long total = count("total", cut[3], cut[4]);
                if (good > total) {
                    throw bad("good", "good " + good + " is greater than total " + total + " (slo "
                            + lookup.name(series) + ", minute " + Instant.ofEpochSecond(minute * 60) + ")");
                }
                long last = lastBySeries[series];
                if (last == minute) {
                    throw bad("timestamp", "a second row for slo " + lookup.name(series) + " at "
                            + Instant.ofEpochSecond(minute * 60) + "; expected one per minute");
                }
                if (last > minute) {
                    throw bad("timestamp", "rows of slo " + lookup.name(series) + " out of time order: "
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
                chunk.line[k] = line;
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
            likely = likelyRow(cut);
            if (likely) {
                return 4;
            }
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

        /**
         * The usual row, a minute already seen and the series expected next, found without looking at their
         * bytes one by one: the two are compared whole, and only the counts are scanned. 0 when the row is
         * anything else (the byte-by-byte read then takes it).
         */
        private boolean likelyRow(int[] cut) {
            int at = pos;
            int n = lastTimestampLength;
            if (n < 0 || expected >= lookup.forms() || at + n + 1 >= len || buf[at + n] != ','
                    || !Arrays.equals(buf, at, at + n, lastTimestamp, 0, n)) {
                return false;
            }
            byte[] name = lookup.form(expected);
            int nameAt = at + n + 1;
            int counts = nameAt + name.length + 1;
            if (counts >= len || buf[counts - 1] != ','
                    || !Arrays.equals(buf, nameAt, nameAt + name.length, name, 0, name.length)) {
                return false;
            }
            int third = -1;
            byte[] b = buf;
            for (int i = counts, end = Math.min(len, counts + MAX_LINE); i < end; i++) {
                byte c = b[i];
                if (c == ',') {
                    if (third >= 0) {
                        return false;
                    }
                    third = i + 1;
                } else if (c == '\n') {
                    if (third < 0) {
                        return false;
                    }
                    line++;
                    pos = i + 1;
                    cut[0] = at;
                    cut[1] = nameAt;
                    cut[2] = counts;
                    cut[3] = third;
                    cut[4] = b[i - 1] == '\r' ? i - 1 : i;
                    return true;
                }
            }
            return false;
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

        /** The id of the row's series (ids in order of first appearance; names are checked by the consumer). */
        private int series(int from, int to) {
            int form = lookup.find(buf, from, to, expected);
            if (form >= 0) {
                expected = form + 1 == lookup.forms() ? 0 : form + 1;
                return lookup.id(form);
            }
            String name = text(from, to).strip();
            int id = lookup.add(name);
            if (id < 0) {
                throw bad("slo", "more than " + SeriesNames.MAX_NAMES + " distinct names; expected one per SLO "
                        + "(or composite component)");
            }
            lookup.remember(buf, from, to, id);
            if (id >= lastBySeries.length) {
                int old = lastBySeries.length;
                lastBySeries = Arrays.copyOf(lastBySeries, Math.max(old * 2, id + 1));
                Arrays.fill(lastBySeries, old, lastBySeries.length, Long.MIN_VALUE);
            }
            return id;
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

    /**
     * The series names seen so far as bytes, found by hash without making a string; a name not seen yet is
     * added (as written, and stripped: " a " and "a" are one series).
     */
    private static final class SeriesNames {
        /** Distinct names one file may hold: far more than any fleet, few enough to bound memory. */
        static final int MAX_NAMES = 100_000;
        private final List<String> seen;
        private byte[][] names = new byte[16][];
        private int[] ids = new int[16];
        private int size;
        private int[] table = new int[64];
        private final Map<String, Integer> byName = new HashMap<>();

        SeriesNames(List<String> seen) {
            this.seen = seen;
            Arrays.fill(table, -1);
        }

        /** How many forms (spellings as written) are remembered. */
        int forms() {
            return size;
        }

        int id(int form) {
            return ids[form];
        }

        byte[] form(int form) {
            return names[form];
        }

        String name(int id) {
            return seen.get(id);
        }

        /** The form of the name in {@code b[from, to)} as written, -1 if not seen written so. */
        int find(byte[] b, int from, int to, int expected) {
            if (expected < size && Arrays.equals(b, from, to, names[expected], 0, names[expected].length)) {
                return expected; // rows of one minute come in the same order as the minute before
            }
            int mask = table.length - 1;
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

        /** Adds a form of a name (its bytes as written): a new series, or another spelling of a known one. */
        int add(String stripped) {
            Integer id = byName.get(stripped);
            if (id == null) {
                if (seen.size() >= MAX_NAMES) {
                    return -1;
                }
                id = seen.size();
                seen.add(stripped);
                byName.put(stripped, id);
            }
            return id;
        }

        /** Remembers the bytes of a row's name field as one form of series {@code id}. */
        void remember(byte[] b, int from, int to, int id) {
            if (size >= 2 * MAX_NAMES) {
                return; // a file of many spellings: found by name from here on
            }
            if (size == names.length) {
                names = Arrays.copyOf(names, size * 2);
                ids = Arrays.copyOf(ids, size * 2);
            }
            names[size] = Arrays.copyOfRange(b, from, to);
            ids[size] = id;
            size++;
            if (size * 2 > table.length) {
                table = new int[table.length * 2];
                Arrays.fill(table, -1);
                for (int i = 0; i < size; i++) {
                    insert(i);
                }
            } else {
                insert(size - 1);
            }
        }

        private void insert(int form) {
            int mask = table.length - 1;
            int h = hash(names[form], 0, names[form].length) & mask;
            while (table[h] >= 0) {
                h = (h + 1) & mask;
            }
            table[h] = form;
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
