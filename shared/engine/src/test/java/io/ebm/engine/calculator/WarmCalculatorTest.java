package io.ebm.engine.calculator;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebm.core.alert.AlertTier;
import io.ebm.core.budget.EvaluationSettings;
import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.openslo.OpenSloLoader;
import io.ebm.core.slo.Slo;
import io.ebm.core.store.SnapshotRecord;
import io.ebm.store.MemoryBudgetStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A warm calculator and a cold one reading the same store must agree, whatever the age of a rewrite: the store
 * notes every write, and the warm one reads again what the notes name.
 */
class WarmCalculatorTest {

    static final Instant T = Instant.parse("2026-12-01T12:00:00Z");
    static final long TM = T.getEpochSecond() / 60;
    static final List<Slo> SLOS = OpenSloLoader.load(Path.of("../../events/slos")).slos().stream()
            .filter(s -> s.name().equals("api-availability")).toList();

    static Calculator calculator(MemoryBudgetStore store) {
        return new Calculator(store, n -> { }, e -> { }, new Calculator.Options(EvaluationSettings.DEFAULTS,
                AlertTier.WORKBOOK_DEFAULTS, null, 15, 100), line -> { });
    }

    static void write(MemoryBudgetStore store, long from, long to, long good) {
        NavigableMap<Long, MinuteCounts> m = new TreeMap<>();
        for (long t = from; t < to; t++) {
            m.put(t, new MinuteCounts(good, 1000));
        }
        store.upsertCounts("api-availability", m);
    }

    @ParameterizedTest(name = "an outage rewritten {0} to {1} minutes before the run")
    @CsvSource({
        "100, 40",          // a collector's retry 40 minutes later: beyond the 15-minute overlap
        "170, 110",         // still within what the evaluator can rewrite minute by minute
        "4320, 4260",       // a backfill three days back: the budget is read again as a cold one
        "40000, 39940"})    // almost a month back
    void aWarmCalculatorSeesEveryRewriteAColdOneSees(long fromAgo, long toAgo) {
        MemoryBudgetStore store = new MemoryBudgetStore();
        write(store, TM - 30 * 1440, TM, 1000);
        Calculator warm = calculator(store);
        assertThat(warm.run(SLOS, T).failures()).isEmpty();
        assertThat(store.latestSnapshot("api-availability").orElseThrow().status()).isEqualTo("HEALTHY");

        write(store, TM + 5 - fromAgo, TM + 5 - toAgo, 0); // 60,000 failed requests: more than the 43,200 allowed
        write(store, TM, TM + 5, 1000);
        assertThat(warm.run(SLOS, T.plusSeconds(300)).failures()).isEmpty();
        SnapshotRecord warmly = store.latestSnapshot("api-availability").orElseThrow();

        MemoryBudgetStore copy = new MemoryBudgetStore();
        write(copy, TM - 30 * 1440, TM + 5, 1000);
        write(copy, TM + 5 - fromAgo, TM + 5 - toAgo, 0);
        calculator(copy).run(SLOS, T.plusSeconds(300));
        SnapshotRecord coldly = copy.latestSnapshot("api-availability").orElseThrow();

        assertThat(warmly.status()).isEqualTo("EXHAUSTED");
        assertThat(warmly.payload()).isEqualTo(coldly.payload());
    }
}
