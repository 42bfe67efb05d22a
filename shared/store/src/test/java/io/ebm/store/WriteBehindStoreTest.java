package io.ebm.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.store.BudgetStore;
import io.ebm.core.store.BudgetStoreContract;
import io.ebm.core.store.Definition;
import io.ebm.core.store.SnapshotRecord;
import io.ebm.store.MemoryBudgetStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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

    @Test
    void batchesQueueWithoutWaitingAndAFailedOneStopsEveryBatchAfterIt() throws Exception {
        Path file = dir.resolve("failing.db");
        try (SqliteBudgetStore back = SqliteBudgetStore.open(file)) {
            // the file itself refuses one definition, as a full disk or a broken file would refuse a batch
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
                 Statement st = other.createStatement()) {
                st.execute("CREATE TRIGGER poisoned BEFORE INSERT ON definitions WHEN NEW.name = 'poison' "
                        + "BEGIN SELECT RAISE(ABORT, 'poisoned'); END");
            }
            // the writer is busy until released: the batches queue up behind it, none written yet
            ExecutorService writer = Executors.newSingleThreadExecutor();
            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean heldTooLong = new AtomicBoolean();
            writer.submit(() -> {
                heldTooLong.set(!release.await(10, TimeUnit.SECONDS));
                return null;
            });
            WriteBehindStore s = new WriteBehindStore(new MemoryBudgetStore(Duration.ZERO, 1), back, writer);
            s.putDefinition("one", "1", T0);
            s.flush();
            s.putDefinition("poison", "2", T0);
            s.putDefinition("two", "2", T0); // the same batch: refused with it
            s.flush();
            s.putDefinition("three", "3", T0); // a later batch, which the file would have taken
            s.flush();
            // three batches in flight were handed on without waiting for the writer: a flush that waited would
            // have returned only after the hold ran out
            assertThat(heldTooLong).isFalse();
            release.countDown();
            assertThatThrownBy(s::close).isInstanceOf(StoreException.class)
                    .hasMessageContaining("refused a batch").hasMessageContaining("poisoned");
            assertThat(heldTooLong).isFalse();
            assertThatThrownBy(s::flush).isInstanceOf(StoreException.class).hasMessageContaining("refused a batch");
            assertThat(s.definitions()).extracting(Definition::name).contains("poison", "two", "three");
        }
        try (SqliteBudgetStore reopened = SqliteBudgetStore.open(file)) {
            assertThat(reopened.definitions()).extracting(Definition::name).containsExactly("one");
        }
    }
}
