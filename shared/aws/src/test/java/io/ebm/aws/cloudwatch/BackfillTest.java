package io.ebm.aws.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ebm.core.counts.MinuteCounts;
import io.ebm.engine.collector.Backfill;
import io.ebm.engine.collector.RunSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import org.junit.jupiter.api.Test;

class BackfillTest {

    static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    @Test
    void eachStepUsesTheFinestPeriodCloudWatchStillKeeps() {
        List<Backfill.Step> steps = Backfill.plan(Instant.parse("2026-09-20T00:00:00Z"), NOW, NOW);
        // 63 days ago is 2026-09-26T12:00Z and 15 days ago 2026-11-13T12:00Z: steps are cut there
        assertThat(steps.get(0)).isEqualTo(new Backfill.Step(Instant.parse("2026-09-20T00:00:00Z"),
                Instant.parse("2026-09-21T00:00:00Z"), 3600));
        assertThat(steps).filteredOn(s -> s.periodSeconds() == 3600).last().extracting(Backfill.Step::to)
                .isEqualTo(Instant.parse("2026-09-26T12:00:00Z"));
        assertThat(steps).filteredOn(s -> s.periodSeconds() == 300).first().extracting(Backfill.Step::from)
                .isEqualTo(Instant.parse("2026-09-26T12:00:00Z"));
        assertThat(steps).filteredOn(s -> s.periodSeconds() == 60).first().extracting(Backfill.Step::from)
                .isEqualTo(Instant.parse("2026-11-13T12:00:00Z"));
        assertThat(steps.get(steps.size() - 1).to()).isEqualTo(NOW);
        for (int i = 1; i < steps.size(); i++) {
            assertThat(steps.get(i).from()).isEqualTo(steps.get(i - 1).to()); // no gap, no overlap
        }
    }

    @Test
    void rangesCloudWatchNoLongerHoldsAreRefused() {
        assertThatThrownBy(() -> Backfill.plan(NOW.minusSeconds(456L * 86_400), NOW, NOW))
                .hasMessageContaining("older than CloudWatch keeps data (455 days");
        assertThatThrownBy(() -> Backfill.plan(NOW, NOW.minusSeconds(60), NOW)).hasMessageContaining("must be after");
        assertThatThrownBy(() -> Backfill.plan(NOW.minusSeconds(60), NOW.plusSeconds(60), NOW))
                .hasMessageContaining("in the future");
    }

    @Test
    void aBackfillWritesEveryMinuteAndReportsProgress() {
        CannedCloudWatch cw = new CannedCloudWatch(CollectorTest.steady());
        CollectorTest.MemoryCounts store = new CollectorTest.MemoryCounts();
        List<String> progress = new ArrayList<>();
        Instant from = Instant.parse("2026-11-25T00:00:00Z");
        RunSummary run = new Backfill(CollectorTest.collector(cw, store, new CollectorTest.Lines()))
                .run(List.of(CollectorTest.sample("api-availability")), from, NOW, NOW, progress::add);
        assertThat(progress).hasSize(4);
        assertThat(progress.get(0)).startsWith("backfill 1/4  2026-11-25T00:00:00Z .. 2026-11-26T00:00:00Z  period 60s  "
                + "1440 minutes written, 0 failed  (25%)");
        assertThat(progress.get(3)).endsWith("(100%)");
        NavigableMap<Long, MinuteCounts> written = store.series.get("api-availability");
        assertThat(written).hasSize(3 * 1440 + 720);
        assertThat(run.minutesWritten()).isEqualTo(3 * 1440 + 720);
        assertThat(cw.requests).allSatisfy(r -> assertThat(r.metricDataQueries().get(0).metricStat().period()).isEqualTo(60));
    }
}
