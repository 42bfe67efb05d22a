package io.ebm.bench;

import io.ebm.core.alert.AlertTier;
import io.ebm.core.budget.BudgetEvaluator;
import io.ebm.core.budget.BudgetSpec;
import io.ebm.core.budget.EvaluationSettings;
import io.ebm.core.budget.Snapshot;
import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.slo.BudgetingMethod;
import io.ebm.core.slo.DurationShorthand;
import io.ebm.core.slo.Indicator;
import io.ebm.core.slo.MetricSource;
import io.ebm.core.slo.Objective;
import io.ebm.core.slo.RollingWindow;
import io.ebm.core.slo.Slo;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * After one new minute, every window of an SLO holding 30 days of one-minute data is re-evaluated: the
 * 5m…3d burn rates, the 30-day window, four alert tiers, status and time to exhaustion.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class EvaluationBenchmark {

    static final int MINUTES_30D = 30 * 1440;
    static final long START = Instant.parse("2026-11-01T00:00:00Z").getEpochSecond() / 60;

    static BudgetEvaluator filled(String name, BudgetingMethod method, SplittableRandom random) {
        Objective o = new Objective("main", null, new BigDecimal("0.999"), null, null,
                method == BudgetingMethod.OCCURRENCES ? null : new BigDecimal("0.99"),
                method == BudgetingMethod.OCCURRENCES ? null : DurationShorthand.parse("1m"), null, null);
        MetricSource src = new MetricSource("Bench", null, Map.of(), null);
        Indicator sli = new Indicator("sli", null, Indicator.Kind.RATIO, src, null, src, null, null, null);
        Slo slo = new Slo(name, null, null, "svc", sli, new RollingWindow(DurationShorthand.parse("30d")), method,
                List.of(o), List.of(), false, Map.of(), "bench");
        BudgetEvaluator e = new BudgetEvaluator(BudgetSpec.of(slo, AlertTier.WORKBOOK_DEFAULTS).get(0));
        for (int m = 0; m < MINUTES_30D; m++) {
            e.add(name, START + m, next(random));
        }
        return e;
    }

    static MinuteCounts next(SplittableRandom random) {
        long total = 500 + random.nextInt(1000);
        return new MinuteCounts(total - random.nextInt(3), total);
    }

    /** One SLO: evaluations per second. */
    @State(Scope.Thread)
    public static class OneSlo {
        @Param({"Occurrences", "Timeslices"})
        public String method;

        BudgetEvaluator evaluator;
        SplittableRandom random;
        long minute;

        @Setup(Level.Trial)
        public void setUp() {
            random = new SplittableRandom(1);
            evaluator = filled("slo", BudgetingMethod.fromOpenSlo(method), random);
            minute = START + MINUTES_30D;
        }
    }

    @Benchmark
    public Snapshot oneSloNewMinute(OneSlo s) {
        s.evaluator.add("slo", s.minute, next(s.random));
        s.minute++;
        return s.evaluator.snapshot(Instant.ofEpochSecond(s.minute * 60), EvaluationSettings.DEFAULTS);
    }

    /** 10,000 SLOs, each with 30 days of data: one operation is a new minute for all of them. */
    @State(Scope.Thread)
    public static class TenThousandSlos {
        static final int COUNT = 10_000;
        BudgetEvaluator[] evaluators;
        SplittableRandom random;
        long minute;

        @Setup(Level.Trial)
        public void setUp() {
            random = new SplittableRandom(2);
            evaluators = new BudgetEvaluator[COUNT];
            for (int i = 0; i < COUNT; i++) {
                evaluators[i] = filled("slo", BudgetingMethod.OCCURRENCES, random);
            }
            minute = START + MINUTES_30D;
        }
    }

    @Benchmark
    @Warmup(iterations = 1, time = 10)
    @Measurement(iterations = 3, time = 10)
    @Fork(value = 1, jvmArgsAppend = {"-Xms12g", "-Xmx12g", "-XX:+AlwaysPreTouch"})
    public long tenThousandSlosNewMinute(TenThousandSlos s) {
        Instant at = Instant.ofEpochSecond((s.minute + 1) * 60);
        long fired = 0;
        for (BudgetEvaluator e : s.evaluators) {
            e.add("slo", s.minute, next(s.random));
            Snapshot snap = e.snapshot(at, EvaluationSettings.DEFAULTS);
            fired += snap.totalEvents();
        }
        s.minute++;
        return fired;
    }

    /** The naive way, for comparison: re-read the whole 30-day window of raw minutes for each window. */
    @State(Scope.Thread)
    public static class NaiveOneSlo {
        long[] good = new long[MINUTES_30D];
        long[] total = new long[MINUTES_30D];
        int next;
        SplittableRandom random = new SplittableRandom(3);

        @Setup(Level.Trial)
        public void setUp() {
            for (int i = 0; i < MINUTES_30D; i++) {
                MinuteCounts c = next(random);
                good[i] = c.good();
                total[i] = c.total();
            }
        }
    }

    @Benchmark
    public double naiveRescanOneSlo(NaiveOneSlo s) {
        MinuteCounts c = next(s.random);
        s.good[s.next] = c.good();
        s.total[s.next] = c.total();
        s.next = (s.next + 1) % MINUTES_30D;
        double acc = 0;
        for (int window : new int[] {5, 30, 60, 120, 360, 1440, 4320, MINUTES_30D}) {
            long g = 0;
            long t = 0;
            for (int k = 1; k <= window; k++) {
                int i = Math.floorMod(s.next - k, MINUTES_30D);
                g += s.good[i];
                t += s.total[i];
            }
            acc += (double) (t - g) / t;
        }
        return acc;
    }
}
