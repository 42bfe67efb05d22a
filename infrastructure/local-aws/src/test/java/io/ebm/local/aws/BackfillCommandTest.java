package io.ebm.local.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebm.aws.cloudwatch.CannedCloudWatch;
import io.ebm.core.counts.MinuteCounts;
import io.ebm.local.Main;
import io.ebm.store.SqliteBudgetStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.NavigableMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backfill command over canned CloudWatch answers into the embedded store. */
class BackfillCommandTest {

    static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void backfillsTheCloudWatchSlosIntoTheEmbeddedStoreWithProgress() {
        CannedCloudWatch cw = new CannedCloudWatch(q -> m -> q.id().endsWith("_bad") ? 1.0 : q.id().endsWith("_good") ? 990.0 : 1000.0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path db = dir.resolve("ebm.db");
        int status = BackfillCommand.run(List.of("--slo", "../../events/slos/checkout-api.yaml", "--from",
                        "2026-11-27T00:00:00Z", "--db", db.toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                region -> cw, NOW);
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(printed + err).isZero();
        assertThat(printed).contains("backfill 1/2  2026-11-27T00:00:00Z .. 2026-11-28T00:00:00Z  period 60s  "
                + "2880 minutes written, 0 failed  (50%)")
                .contains("backfill done: 2 series, 2 GetMetricData calls, 8640 datapoints, 4320 minutes written, 0 failures");
        try (SqliteBudgetStore store = SqliteBudgetStore.open(db)) {
            long from = Instant.parse("2026-11-27T00:00:00Z").getEpochSecond() / 60;
            NavigableMap<Long, MinuteCounts> api = store.counts("api-availability", from, from + 3000);
            assertThat(api).hasSize(36 * 60).containsEntry(from, new MinuteCounts(999, 1000));
            assertThat(store.counts("api-latency", from, from + 3000)).containsEntry(from, new MinuteCounts(990, 1000));
        }
    }

    @Test
    void aRangeBeyondRetentionExitsTwoBeforeAnyCall() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"backfill", "--slo", "../../events/slos", "--from", "2020-01-01T00:00:00Z",
                "--db", dir.resolve("x.db").toString()}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("older than CloudWatch keeps data (455 days");
    }
}
