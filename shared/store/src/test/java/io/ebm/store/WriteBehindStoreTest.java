package io.ebm.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.store.BudgetStore;
import io.ebm.core.store.BudgetStoreContract;
import io.ebm.core.store.SnapshotRecord;
import io.ebm.store.MemoryBudgetStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract through the heap front, and what the file holds after it. */
class WriteBehindStoreTest extends BudgetStoreContract {

    @TempDir
    Path dir;

    private SqliteBudgetStore sqlite;
    private WriteBehindStore store;

    @Override
    protected BudgetStore store() {
        sqlite = SqliteBudgetStore.open(dir.resolve("ebm.db"));
        store = new WriteBehindStore(new MemoryBudgetStore(Duration.ZERO, 1), sqlite);
        return store;
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
            sqlite.close();
        }
    }

    private static SnapshotRecord snapshot(long version, Instant at, String status) {
        return new SnapshotRecord("api", at, status, version, "{\"v\":" + version + "}");
    }

    @Test
    void theFileHoldsTheLatestTheCoarseHistoryAndTheCountsAfterClose() {
        Path file = dir.resolve("replay.db");
        try (SqliteBudgetStore back = SqliteBudgetStore.open(file)) {
            WriteBehindStore s = new WriteBehindStore(new MemoryBudgetStore(Duration.ofHours(1), 1), back);
            for (int v = 1; v <= 30; v++) { // every 5 minutes for two and a half hours
                s.putSnapshot(snapshot(v, T0.plusSeconds(300L * (v - 1)), v == 20 ? "WARNING" : "HEALTHY"));
                if (v % 7 == 0) {
                    s.flush();
                }
            }
            s.upsertCounts("api", minutes(M0, 90, 99, 100));
            s.flush();
            s.upsertCounts("api", minutes(M0 + 30, 10, 50, 100)); // rewrites ten minutes of the first write
            s.close();
        }
        try (SqliteBudgetStore reopened = SqliteBudgetStore.open(file)) {
            assertThat(reopened.latestSnapshot("api").orElseThrow().version()).isEqualTo(30);
            // 00:00, 01:00, the WARNING at 01:35, the HEALTHY after it at 01:40, then 02:40 is an hour later
            assertThat(reopened.snapshotHistory("api", T0, T0.plusSeconds(86_400)))
                    .extracting(SnapshotRecord::version).containsExactly(1L, 13L, 20L, 21L);
            assertThat(reopened.counts("api", M0, M0 + 200)).hasSize(90)
                    .containsEntry(M0 + 29, new MinuteCounts(99, 100))
                    .containsEntry(M0 + 30, new MinuteCounts(50, 100))
                    .containsEntry(M0 + 39, new MinuteCounts(50, 100))
                    .containsEntry(M0 + 40, new MinuteCounts(99, 100));
        }
    }

    @Test
    void withinOneBatchTheLaterMinutesAndTheNewestConfirmationReachTheFile() {
        Path file = dir.resolve("batch.db");
        try (SqliteBudgetStore back = SqliteBudgetStore.open(file)) {
            WriteBehindStore s = new WriteBehindStore(new MemoryBudgetStore(Duration.ofHours(1), 1), back);
            s.upsertCounts("api", minutes(M0, 20, 99, 100));
            s.upsertCounts("api", minutes(M0 + 5, 5, 40, 100)); // the same batch: these five minutes win
            s.confirmLatest(T0.plusSeconds(600), java.util.List.of("api", "web"));
            s.confirmLatest(T0.plusSeconds(1200), java.util.List.of("api"));
            s.confirmLatest(T0.plusSeconds(300), java.util.List.of("api", "web")); // late: changes nothing
            s.close();
        }
        try (SqliteBudgetStore reopened = SqliteBudgetStore.open(file)) {
            assertThat(reopened.counts("api", M0, M0 + 100)).hasSize(20)
                    .containsEntry(M0 + 4, new MinuteCounts(99, 100))
                    .containsEntry(M0 + 5, new MinuteCounts(40, 100))
                    .containsEntry(M0 + 9, new MinuteCounts(40, 100))
                    .containsEntry(M0 + 10, new MinuteCounts(99, 100));
            assertThat(reopened.confirmations())
                    .containsEntry("api", T0.plusSeconds(1200))
                    .containsEntry("web", T0.plusSeconds(600))
                    .hasSize(2);
        }
    }
}
