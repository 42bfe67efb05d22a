package io.ebm.bench;

import io.ebm.core.alert.AlertTier;
import io.ebm.core.budget.EvaluationSettings;
import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.slo.BudgetingMethod;
import io.ebm.core.slo.DurationShorthand;
import io.ebm.core.slo.Indicator;
import io.ebm.core.slo.MetricSource;
import io.ebm.core.slo.Objective;
import io.ebm.core.slo.RollingWindow;
import io.ebm.core.slo.Slo;
import io.ebm.core.store.AlertRecord;
import io.ebm.core.store.SnapshotRecord;
import io.ebm.engine.calculator.Calculator;
import io.ebm.store.ForwardingBudgetStore;
import io.ebm.store.MemoryBudgetStore;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The calculator's own code on N SLOs with 30 days of one-minute counts in one process: a cold run (every
 * budget reads its window), then warm runs (each reads its overlap again). Counts come from a generator instead
 * of a database, so that what is measured is the calculator, not a store.
 *
 * <pre>java -Xmx12g -cp shared/benchmarks/target/benchmarks.jar io.ebm.bench.CalculatorScale 10000 5</pre>
 */
public final class CalculatorScale {

    private CalculatorScale() {
    }

    public static void main(String[] args) {
        int slos = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int warmRuns = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Instant start = Instant.parse("2026-11-30T00:00:00Z");
        GeneratedStore store = new GeneratedStore();
        AtomicInteger notices = new AtomicInteger();
        Calculator calculator = new Calculator(store, n -> notices.incrementAndGet(), e -> { },
                new Calculator.Options(EvaluationSettings.DEFAULTS, AlertTier.WORKBOOK_DEFAULTS, null, 15, slos),
                line -> { });
        List<Slo> all = new ArrayList<>();
        for (int i = 0; i < slos; i++) {
            all.add(slo("slo-" + i));
        }
        long t0 = System.nanoTime();
        Calculator.Run cold = calculator.run(all, start);
        long coldMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("cold run: %d budgets in %,d ms (%.2f ms per budget), %d snapshots, failures %d%n",
                cold.budgets(), coldMs, (double) coldMs / slos, cold.snapshotsWritten(), cold.failures().size());
        for (int r = 1; r <= warmRuns; r++) {
            long t = System.nanoTime();
            Calculator.Run warm = calculator.run(all, start.plusSeconds(60L * r));
            long ms = (System.nanoTime() - t) / 1_000_000;
            System.out.printf("warm run %d: %d budgets in %,d ms (%.3f ms per budget), failures %d%n", r,
                    warm.budgets(), ms, (double) ms / slos, warm.failures().size());
        }
        System.gc();
        Runtime rt = Runtime.getRuntime();
        System.out.printf("heap in use after GC: %,d MB (%,.0f KB per budget); notices sent %d%n",
                (rt.totalMemory() - rt.freeMemory()) >> 20,
                (rt.totalMemory() - rt.freeMemory()) / 1024.0 / slos, notices.get());
    }

    static Slo slo(String name) {
        MetricSource src = new MetricSource("Generated", null, Map.of(), null);
        Indicator sli = new Indicator("sli", null, Indicator.Kind.RATIO, src, null, src, null, null, null);
        Objective o = new Objective("main", null, new BigDecimal("0.999"), null, null, null, null, null, null);
        return new Slo(name, null, null, "svc-" + (name.hashCode() & 63), sli,
                new RollingWindow(DurationShorthand.parse("30d")), BudgetingMethod.OCCURRENCES, List.of(o), List.of(),
                false, Map.of(), "generated");
    }

    /** Counts made up on request; everything else in the heap store, which keeps one history entry a budget. */
    static final class GeneratedStore extends ForwardingBudgetStore {

        GeneratedStore() {
            super(new MemoryBudgetStore(java.time.Duration.ZERO, 1));
        }

        @Override
        public void forEachCount(String series, long from, long to, MinuteSink sink) {
            long seed = series.hashCode();
            for (long t = from; t < to; t++) {
                long total = 500 + Math.floorMod(t * 31 + seed, 700);
                sink.minute(t, new MinuteCounts(total - Math.floorMod(t + seed, 3), total));
            }
        }

        @Override
        public void upsertCounts(String series, NavigableMap<Long, MinuteCounts> minutes) {
            throw new IllegalStateException("the calculator does not write counts");
        }

        @Override
        public boolean putSnapshot(SnapshotRecord s) {
            s.payload(); // as DynamoDB would: a persisting store writes each snapshot's JSON
            return delegate.putSnapshot(s);
        }

        @Override
        public boolean commitEvaluation(SnapshotRecord s, List<AlertRecord> alerts,
                                        List<io.ebm.core.incident.Incident> incidents,
                                        List<io.ebm.core.store.OutboxEntry> outbox) {
            s.payload(); // as DynamoDB would: a persisting store writes each snapshot's JSON
            return delegate.commitEvaluation(s, alerts, incidents, outbox);
        }
    }
}
