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

    @Test
    void hoursWrittenOutOfOrderAndWithGapsReadBackInEveryRange() {
        MemoryBudgetStore s = new MemoryBudgetStore();
        java.util.TreeMap<Long, io.ebm.core.counts.MinuteCounts> expected = new java.util.TreeMap<>();
        long base = T0.getEpochSecond() / 60;
        java.util.Random random = new java.util.Random(14);
        // newest hours first appended, then late ones (a backfill) before, between and after them; 40 hours
        // apart at most, so that the array holding them grows past its first size as well
        long[] hours = {10, 11, 12, 40, 3, 25, 11, 0, 39, 26, 100, 64, 65, 2};
        for (long h : hours) {
            java.util.TreeMap<Long, io.ebm.core.counts.MinuteCounts> batch = new java.util.TreeMap<>();
            for (int k = 0; k < 5; k++) {
                long minute = base + h * 60 + random.nextInt(60);
                long total = 1 + random.nextInt(1000);
                batch.put(minute, new io.ebm.core.counts.MinuteCounts(random.nextInt((int) total + 1), total));
            }
            s.upsertCounts("api", batch);
            expected.putAll(batch);
        }
        for (int from = -70; from < 101 * 60; from += 37) {
            for (int length : new int[] {1, 59, 61, 200, 7000}) {
                java.util.List<String> read = new java.util.ArrayList<>();
                s.forEachCount("api", base + from, base + from + length, (m, c) -> read.add(m + "=" + c.toText()));
                java.util.List<String> want = new java.util.ArrayList<>();
                expected.subMap(base + from, true, base + from + length, false)
                        .forEach((m, c) -> want.add(m + "=" + c.toText()));
                assertThat(read).as("from %d for %d", from, length).isEqualTo(want);
            }
        }
        assertThat(expected).hasSizeGreaterThan(60);
    }
}
