package io.ebm.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebm.core.store.BudgetStore;
import io.ebm.core.store.BudgetStoreContract;
import io.ebm.core.store.SnapshotRecord;
import io.ebm.store.MemoryBudgetStore.Stored;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The store contract against the heap store, and the coarser history it can keep. */
class MemoryBudgetStoreTest extends BudgetStoreContract {

    @Override
    protected BudgetStore store() {
        return new MemoryBudgetStore();
    }

    private static SnapshotRecord snapshot(long version, Instant at, String status) {
        return new SnapshotRecord("api", at, status, version, "{\"v\":" + version + "}");
    }

    @Test
    void anHourlyHistoryKeepsOneSnapshotAnHourAndEveryStatusChange() {
        MemoryBudgetStore s = new MemoryBudgetStore(Duration.ofHours(1), Integer.MAX_VALUE);
        Instant t = T0;
        assertThat(s.putSnapshotReportingHistory(snapshot(1, t, "HEALTHY"))).isEqualTo(Stored.LATEST_AND_HISTORY);
        assertThat(s.putSnapshotReportingHistory(snapshot(2, t.plusSeconds(300), "HEALTHY"))).isEqualTo(Stored.LATEST_ONLY);
        assertThat(s.putSnapshotReportingHistory(snapshot(3, t.plusSeconds(600), "WARNING")))
                .isEqualTo(Stored.LATEST_AND_HISTORY);
        assertThat(s.putSnapshotReportingHistory(snapshot(4, t.plusSeconds(3900), "WARNING"))).isEqualTo(Stored.LATEST_ONLY);
        assertThat(s.putSnapshotReportingHistory(snapshot(5, t.plusSeconds(4200), "WARNING")))
                .isEqualTo(Stored.LATEST_AND_HISTORY);
        assertThat(s.putSnapshotReportingHistory(snapshot(5, t.plusSeconds(4500), "WARNING"))).isEqualTo(Stored.REFUSED);

        assertThat(s.snapshotHistory("api", T0, T0.plusSeconds(86_400))).extracting(SnapshotRecord::version)
                .containsExactly(1L, 3L, 5L);
        assertThat(s.latestSnapshot("api").orElseThrow().version()).isEqualTo(5);
    }

    @Test
    void aHistoryLimitKeepsTheNewestEntries() {
        MemoryBudgetStore s = new MemoryBudgetStore(Duration.ZERO, 2);
        for (int v = 1; v <= 4; v++) {
            s.putSnapshot(snapshot(v, T0.plusSeconds(60L * v), "HEALTHY"));
        }
        assertThat(s.snapshotHistory("api", T0, T0.plusSeconds(3600))).extracting(SnapshotRecord::version)
                .containsExactly(3L, 4L);
    }
}
