package io.ebm.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The byte-level reader against what the rows say, on the forms a hand-made or exported file takes. */
class CountsCsvTest {

    @TempDir
    Path dir;

    private static final List<String> NAMES = List.of("a", "bb", "c/d");

    private List<String> read(String text) throws IOException {
        Path f = dir.resolve("in.csv");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        List<String> rows = new ArrayList<>();
        CountsCsv.scan(f, CountsCsv.Order.PER_SERIES, () -> NAMES, (s, m, g, t) ->
                rows.add(NAMES.get(s) + "@" + Instant.ofEpochSecond(m * 60) + "=" + g + "/" + t));
        return rows;
    }

    @Test
    void crlfSpacesOffsetsBlankLinesAndALastRowWithoutNewlineReadAsTheStandardParsersWould() throws IOException {
        assertThat(read("\uFEFFtimestamp,slo,good,total\r\n"
                + "2026-11-01T00:00:00Z,a,1,2\r\n"
                + "\r\n"
                + " 2026-11-01T00:01:00Z , bb , 003 ,+4\n"
                + "2026-11-01T01:02:00+01:00,c/d,5,5\n"
                + "2026-11-02T23:59:00Z,a,0,0\n"
                + "2026-12-31T23:59:00Z,c/d,7,9"))
                .containsExactly("a@2026-11-01T00:00:00Z=1/2", "bb@2026-11-01T00:01:00Z=3/4",
                        "c/d@2026-11-01T00:02:00Z=5/5", "a@2026-11-02T23:59:00Z=0/0", "c/d@2026-12-31T23:59:00Z=7/9");
    }

    @Test
    void digitByDigitTimestampsEqualInstantParseAcrossYearsAndLeapDays() throws IOException {
        StringBuilder csv = new StringBuilder("timestamp,slo,good,total\n");
        List<String> expected = new ArrayList<>();
        java.util.Random r = new java.util.Random(14);
        long minute = Instant.parse("1999-12-31T00:00:00Z").getEpochSecond() / 60;
        for (int i = 0; i < 3000; i++) {
            minute += 1 + r.nextInt(40_000);
            String ts = Instant.ofEpochSecond(minute * 60).toString();
            csv.append(ts).append(",a,1,1\n");
            expected.add("a@" + ts + "=1/1");
        }
        assertThat(read(csv.toString())).isEqualTo(expected);
    }

    @Test
    void impossibleDatesAndTimesAreNamedByTheStandardParser() {
        for (String ts : List.of("2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-31T00:00:00Z",
                "2026-11-01T00:60:00Z", "2026-11-0aT00:00:00Z")) {
            assertThatThrownBy(() -> read("timestamp,slo,good,total\n" + ts + ",a,1,1\n")).as(ts)
                    .hasMessageEndingWith("line 2: field timestamp: expected an ISO-8601 UTC instant such as "
                            + "2026-11-01T00:00:00Z, got '" + ts + "'");
        }
    }

    @Test
    void whatOnlyTheStandardParserAcceptsIsReadAsItReadsIt() throws IOException {
        // 24:00 is the next day's midnight; a leap second is read as the second before it (then refused)
        assertThat(read("timestamp,slo,good,total\n2026-11-01T24:00:00Z,a,1,1\n"))
                .containsExactly("a@2026-11-02T00:00:00Z=1/1");
        assertThatThrownBy(() -> read("timestamp,slo,good,total\n2026-11-01T23:59:60Z,a,1,1\n"))
                .hasMessageEndingWith("line 2: field timestamp: expected the start of a minute (seconds 00), got "
                        + "2026-11-01T23:59:59Z");
    }

    @Test
    void aBadRowFarIntoTheFileIsNamedAfterEveryRowBeforeItWasHandedOn() throws IOException {
        StringBuilder csv = new StringBuilder("timestamp,slo,good,total\n");
        long start = Instant.parse("2026-11-01T00:00:00Z").getEpochSecond() / 60;
        int rows = 50_000; // several of the reader's chunks, and a buffer refill
        for (int i = 0; i < rows; i++) {
            csv.append(Instant.ofEpochSecond((start + i) * 60)).append(",a,1,2\n");
        }
        csv.append(Instant.ofEpochSecond((start + rows) * 60)).append(",a,3,2\n");
        Path f = dir.resolve("long.csv");
        Files.writeString(f, csv);
        long[] handed = {0};
        assertThatThrownBy(() -> CountsCsv.scan(f, CountsCsv.Order.PER_SERIES, () -> NAMES, (s, m, g, t) -> handed[0]++))
                .isInstanceOf(UsageException.class)
                .hasMessage(f + ": line " + (rows + 2) + ": field good: good 3 is greater than total 2 (slo a, minute "
                        + Instant.ofEpochSecond((start + rows) * 60) + ")");
        assertThat(handed[0]).isEqualTo(rows);
    }

    @Test
    void theSinksOwnErrorStopsTheReadAndIsThrownAsIs() throws IOException {
        StringBuilder csv = new StringBuilder("timestamp,slo,good,total\n");
        long start = Instant.parse("2026-11-01T00:00:00Z").getEpochSecond() / 60;
        for (int i = 0; i < 100_000; i++) {
            csv.append(Instant.ofEpochSecond((start + i) * 60)).append(",bb,1,2\n");
        }
        Path f = dir.resolve("sink.csv");
        Files.writeString(f, csv);
        int[] seen = {0};
        assertThatThrownBy(() -> CountsCsv.scan(f, CountsCsv.Order.PER_SERIES, () -> NAMES, (s, m, g, t) -> {
            if (++seen[0] == 20_000) {
                throw new UsageException("stop at 20000");
            }
        })).hasMessage("stop at 20000");
        assertThat(seen[0]).isEqualTo(20_000);
    }

    @Test
    void aRowLongerThanTheLimitIsAnErrorNotABiggerBuffer() throws IOException {
        String huge = "x".repeat(CountsCsv.MAX_LINE + 10);
        assertThatThrownBy(() -> read("timestamp,slo,good,total\n2026-11-01T00:00:00Z,a,1,1\n" + huge + "\n"))
                .hasMessageContaining("line 3: a row longer than " + CountsCsv.MAX_LINE + " bytes");
    }
}
