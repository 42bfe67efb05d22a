package io.ebm.local.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebm.core.counts.MinuteCounts;
import io.ebm.engine.collector.Collector;
import io.ebm.engine.collector.RunSummary;
import io.ebm.store.MemoryBudgetStore;
import java.time.Instant;
import java.util.NavigableMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real collector reading the demo's month from the synthetic CloudWatch: what it stores is the month. */
class SyntheticCloudWatchTest {

    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    private static final long M0 = START.getEpochSecond() / 60;

    private static DemoFleet fleet;
    private static DemoTraffic traffic;
    private static MemoryBudgetStore store;
    private static RunSummary run;
    private static SyntheticCloudWatch cloudWatch;

    @BeforeAll
    static void collectTheFirstTwoHours() {
        fleet = DemoFleet.of(9);
        traffic = DemoTraffic.generate(1, fleet.generated());
        store = new MemoryBudgetStore();
        cloudWatch = new SyntheticCloudWatch(fleet.slos(), traffic, START);
        run = new Collector(cloudWatch, store, line -> {
        }).collect(fleet.slos(), START, START.plusSeconds(7200), 60);
    }

    private static void assertStoredAsGenerated(String stored, String generated) {
        DemoTraffic.Series s = traffic.series(generated);
        NavigableMap<Long, MinuteCounts> read = store.counts(stored, M0, M0 + 120);
        assertThat(read).hasSize(120);
        for (int m = 0; m < 120; m++) {
            assertThat(read.get(M0 + m)).as("%s minute %d", stored, m)
                    .isEqualTo(new MinuteCounts(s.good()[m], s.total()[m]));
        }
    }

    @Test
    void ratioSlisOfBadAndOfGoodEventsStoreTheGeneratedCounts() {
        assertStoredAsGenerated("api-availability", "api-availability"); // bad 5xx over requests
        assertStoredAsGenerated("api-latency", "api-latency"); // TC(:0.3) over SampleCount
        assertStoredAsGenerated(DemoFleet.generatedName(0), DemoFleet.generatedName(0));
        assertStoredAsGenerated(DemoFleet.generatedName(1), DemoFleet.generatedName(1));
        assertThat(run.failures()).isEmpty();
    }

    @Test
    void aMetricMathExpressionIsAnsweredWithItsSeries() {
        assertStoredAsGenerated("checkout-journey/browse", "checkout-journey/browse"); // good = total - errors
    }

    @Test
    void aMetricTwoSlisShareHasOneSetOfValues() {
        // the journey's pay step reads the checkout API's load balancer, as api-availability does
        assertStoredAsGenerated("checkout-journey/pay", "api-availability");
    }

    @Test
    void seriesNotOnCloudWatchAreLeftToBePushed() {
        assertThat(cloudWatch.pushedSeries()).containsOnlyKeys("payments-monthly");
        assertThat(store.counts("payments-monthly", M0, M0 + 120)).isEmpty();
    }

    @Test
    void aGapInThePushedSeriesIsNoDataNotZero() {
        DemoTraffic month = DemoTraffic.generate(16, 0);
        Instant gap = Instant.parse("2026-11-15T06:00:00Z"); // payments is silent for six hours, day 15
        assertThat(month.series("payments-monthly").total()[(int) (gap.getEpochSecond() / 60 - M0)]).isEqualTo(-1);
        assertThat(DemoTraffic.minutes(month.series("payments-monthly"), M0, (int) (gap.getEpochSecond() / 60 - M0) - 2,
                (int) (gap.getEpochSecond() / 60 - M0) + 2)).containsOnlyKeys(gap.getEpochSecond() / 60 - 2,
                gap.getEpochSecond() / 60 - 1);
    }
}
