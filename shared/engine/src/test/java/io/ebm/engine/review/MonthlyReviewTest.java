package io.ebm.engine.review;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.openslo.OpenSloLoader;
import io.ebm.core.policy.Policy;
import io.ebm.core.port.AlertNotice;
import io.ebm.core.slo.Slo;
import io.ebm.store.MemoryBudgetStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The deployed stack's monthly report, over the store: three months read back and one notice keyed by month. */
class MonthlyReviewTest {

    @Test
    void theFirstOfTheMonthReviewsTheThreeMonthsBeforeItInOneNotice() {
        Slo api = OpenSloLoader.load(Path.of("../../events/slos/checkout-api.yaml")).slo("api-availability")
                .orElseThrow();
        MemoryBudgetStore store = new MemoryBudgetStore();
        NavigableMap<Long, MinuteCounts> counts = new TreeMap<>();
        long from = Instant.parse("2026-08-25T00:00:00Z").getEpochSecond() / 60; // a partial August, left out
        long to = Instant.parse("2026-12-01T06:00:00Z").getEpochSecond() / 60;  // and six hours of December
        for (long m = from; m < to; m++) {
            counts.put(m, new MinuteCounts(m % 15 == 0 ? 999 : 1000, 1000));
        }
        store.upsertCounts("api-availability", counts);
        List<AlertNotice> sent = new ArrayList<>();
        List<TargetReview.Budget> budgets = MonthlyReview.publish(store, List.of(api), Policy.NONE,
                Instant.parse("2026-12-01T06:00:00Z"), 3, sent::add);
        assertThat(budgets).singleElement().satisfies(b -> {
            assertThat(b.months()).extracting(m -> m.month().toString()).containsExactly("2026-09", "2026-10", "2026-11");
            assertThat(b.suggestion().kind()).isEqualTo(TargetReview.Suggestion.Kind.TIGHTEN);
        });
        assertThat(sent).singleElement().satisfies(n -> {
            assertThat(n.subject()).isEqualTo("[TICKET] SLO review 2026-09 to 2026-11: 1 target change suggested");
            assertThat(n.attributes()).containsEntry("kind", "review").containsEntry("notice", "review#2026-11");
            assertThat(n.targets()).containsExactly("slo-owners");
            assertThat(n.body()).contains("api-availability (checkout-api, target 0.999)").contains("tighten to 0.9999")
                    .contains("+    target: 0.9999");
        });
    }
}
