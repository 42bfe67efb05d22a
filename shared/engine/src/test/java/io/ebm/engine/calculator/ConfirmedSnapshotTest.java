package io.ebm.engine.calculator;

import static io.ebm.engine.calculator.WarmCalculatorTest.SLOS;
import static io.ebm.engine.calculator.WarmCalculatorTest.T;
import static io.ebm.engine.calculator.WarmCalculatorTest.TM;
import static io.ebm.engine.calculator.WarmCalculatorTest.calculator;
import static io.ebm.engine.calculator.WarmCalculatorTest.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.ebm.core.budget.BudgetStatus;
import io.ebm.core.budget.Snapshot;
import io.ebm.core.policy.Policy;
import io.ebm.engine.LatestSnapshots;
import io.ebm.store.MemoryBudgetStore;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The latest snapshot and its history point are written when what readers see changes, and once an hour; the
 * other runs confirm it in one write, and readers judge freshness from the confirmation.
 */
class ConfirmedSnapshotTest {

    private final MemoryBudgetStore store = new MemoryBudgetStore();

    private Calculator.Run at(Instant when) {
        long m = when.getEpochSecond() / 60;
        write(store, m - 5, m, 1000);
        return calculator(store).run(SLOS, when);
    }

    @Test
    void anUnchangedBudgetIsConfirmedUntilTheHourTurnsOrWhatItShowsChanges() {
        write(store, TM - 30 * 1440, TM, 1000);
        assertThat(calculator(store).run(SLOS, T).snapshotsWritten()).isEqualTo(1); // 12:00, the first
        for (int tick = 1; tick < 12; tick++) { // 12:05 .. 12:55: nothing a reader sees changes
            Calculator.Run run = at(T.plusSeconds(300L * tick));
            assertThat(run.snapshotsWritten()).as("tick %d", tick).isZero();
            assertThat(run.confirmed()).isEqualTo(1);
        }
        assertThat(store.latestSnapshot("api-availability").orElseThrow().evaluatedAt()).isEqualTo(T);
        assertThat(store.confirmations()).containsEntry("api-availability", T.plusSeconds(300L * 11));
        assertThat(store.snapshotHistory("api-availability", T.minusSeconds(1), T.plusSeconds(7200))).hasSize(1);

        // 13:00: a new hour, a history point
        assertThat(at(T.plusSeconds(3600)).snapshotsWritten()).isEqualTo(1);
        assertThat(store.snapshotHistory("api-availability", T.minusSeconds(1), T.plusSeconds(7200))).hasSize(2);

        // 13:05: five minutes of failed requests: the page tier fires, the snapshot is written at once
        write(store, TM + 61, TM + 65, 0);
        write(store, TM + 60, TM + 61, 0);
        Calculator.Run outage = calculator(store).run(SLOS, T.plusSeconds(3900));
        assertThat(outage.snapshotsWritten()).isEqualTo(1);
        Snapshot written = store.latestSnapshot("api-availability").orElseThrow().snapshot();
        assertThat(written.evaluatedAt()).isEqualTo(T.plusSeconds(3900));
        assertThat(written.burnRates().get("1h")).isGreaterThan(14.4);
    }

    @Test
    void aConfirmedSnapshotIsFreshForReadersAndALateRunChangesNothing() {
        write(store, TM - 30 * 1440, TM, 1000);
        calculator(store).run(SLOS, T);
        for (int tick = 1; tick <= 6; tick++) {
            at(T.plusSeconds(300L * tick)); // confirmed through 12:30
        }
        Instant now = T.plusSeconds(35 * 60);
        Snapshot stored = store.latestSnapshot("api-availability").orElseThrow().snapshot();
        Duration staleAfter = Duration.ofMinutes(15);
        // by its own time it is 35 minutes old: stale; confirmed 5 minutes ago: fresh
        assertThat(LatestSnapshots.fresh(stored, now, staleAfter).status()).isEqualTo(BudgetStatus.NO_DATA);
        assertThat(LatestSnapshots.of(store, SLOS, Policy.NONE, now, staleAfter)).singleElement()
                .extracting(Snapshot::status).isEqualTo(BudgetStatus.HEALTHY);
        // an hour later with no run: stale, and the reason names the confirmation
        Snapshot later = LatestSnapshots.of(store, SLOS, Policy.NONE, now.plusSeconds(3600), staleAfter).get(0);
        assertThat(later.status()).isEqualTo(BudgetStatus.NO_DATA);
        assertThat(later.statusReason()).contains("confirmed at 2026-12-01T12:30:00Z");

        // a duplicate of the 12:20 run, delivered late: refused, the confirmation does not move back
        Calculator.Run late = calculator(store).run(SLOS, T.plusSeconds(20 * 60));
        assertThat(late.stale()).isEqualTo(1);
        assertThat(late.confirmed()).isZero();
        assertThat(store.confirmations()).containsEntry("api-availability", T.plusSeconds(30 * 60));
    }
}
