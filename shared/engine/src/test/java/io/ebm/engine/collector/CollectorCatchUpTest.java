package io.ebm.engine.collector;

import static io.ebm.core.TestSlos.slo;
import static org.assertj.core.api.Assertions.assertThat;

import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.port.SliSource;
import io.ebm.core.slo.BudgetingMethod;
import io.ebm.core.slo.DurationShorthand;
import io.ebm.core.slo.RollingWindow;
import io.ebm.core.slo.Slo;
import io.ebm.store.MemoryBudgetStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Failed and skipped runs are caught up, not dropped (with a 10-minute overlap, two failed 5-minute runs lost minutes). */
class CollectorCatchUpTest {

    static final Instant T = Instant.parse("2026-12-01T12:00:00Z");
    static final long TM = T.getEpochSecond() / 60;
    static final Slo API = slo("api", new RollingWindow(DurationShorthand.parse("30d")), BudgetingMethod.OCCURRENCES, "0.999");
    static final Slo WEB = slo("web", new RollingWindow(DurationShorthand.parse("30d")), BudgetingMethod.OCCURRENCES, "0.999");

    /** Every minute of every series has (99, 100); the series named in {@code failing} fail, and each read is kept. */
    static final class Source implements SliSource {
        Set<String> failing = Set.of();
        final List<String> reads = new ArrayList<>();

        @Override
        public Reading read(List<Slo> slos, Instant from, Instant to, int periodSeconds, Sink sink) {
            for (Slo s : slos) {
                reads.add(s.name() + " " + (from.getEpochSecond() / 60 - TM) + ".." + (to.getEpochSecond() / 60 - TM));
                if (failing.contains(s.name())) {
                    sink.failed(s.name(), s.name(), "GetMetricData failed: ServiceUnavailable");
                    continue;
                }
                NavigableMap<Long, MinuteCounts> m = new TreeMap<>();
                for (long t = from.getEpochSecond() / 60; t < to.getEpochSecond() / 60; t++) {
                    m.put(t, new MinuteCounts(99, 100));
                }
                sink.counts(s.name(), s.name(), m, List.of());
            }
            return new Reading(slos.size(), slos.size() * 2, 1, 0);
        }
    }

    @Test
    void aSeriesThatFailedIsReadAgainFromTheFirstMinuteItMissed() {
        MemoryBudgetStore store = new MemoryBudgetStore();
        Source source = new Source();
        Collector c = new Collector(source, store, line -> { });
        Duration overlap = Duration.ofMinutes(10);
        c.tick(List.of(API, WEB), T, overlap);
        source.failing = Set.of("api");
        RunSummary failed1 = c.tick(List.of(API, WEB), T.plusSeconds(300), overlap);
        RunSummary failed2 = c.tick(List.of(API, WEB), T.plusSeconds(600), overlap);
        assertThat(failed1.failures()).extracting(RunSummary.Failure::series).containsExactly("api");
        assertThat(failed2.failures()).hasSize(1);
        source.failing = Set.of();
        source.reads.clear();
        RunSummary back = c.tick(List.of(API, WEB), T.plusSeconds(900), overlap);
        assertThat(back.failures()).isEmpty();
        assertThat(source.reads).containsExactly("api -5..15", "web 5..15"); // api from its first missed minute
        assertThat(store.counts("api", TM - 10, TM + 15)).hasSize(25); // no minute lost
        assertThat(store.marks("collector/gap/")).isEmpty();
    }

    @Test
    void skippedRunsAreCaughtUpFromWhereTheLastCompleteRunEnded() {
        MemoryBudgetStore store = new MemoryBudgetStore();
        Source source = new Source();
        Collector c = new Collector(source, store, line -> { });
        c.tick(List.of(API), T, Duration.ofMinutes(10));
        source.reads.clear();
        RunSummary late = c.tick(List.of(API), T.plusSeconds(3600), Duration.ofMinutes(10)); // an hour of no runs
        assertThat(source.reads).containsExactly("api 0..60");
        assertThat(late.failures()).isEmpty();
        assertThat(store.counts("api", TM - 10, TM + 60)).hasSize(70);
    }

    @Test
    void whatIsBeyondTheCatchUpLimitIsReportedNotSilentlyDropped() {
        MemoryBudgetStore store = new MemoryBudgetStore();
        Source source = new Source();
        Collector c = new Collector(source, store, line -> { });
        c.tick(List.of(API), T, Duration.ofMinutes(10), Duration.ofHours(1));
        source.reads.clear();
        RunSummary late = c.tick(List.of(API), T.plusSeconds(3 * 3600), Duration.ofMinutes(10), Duration.ofHours(1));
        assertThat(source.reads).containsExactly("api 120..180");
        assertThat(late.failures()).singleElement().satisfies(f -> assertThat(f.reason())
                .contains("beyond the catch-up limit (1 h): backfill them"));
    }
}
