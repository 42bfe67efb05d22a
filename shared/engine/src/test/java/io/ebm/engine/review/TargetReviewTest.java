package io.ebm.engine.review;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.incident.Incident;
import io.ebm.core.openslo.OpenSloLoader;
import io.ebm.core.policy.Policy;
import io.ebm.core.slo.Slo;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Targets against what users got, over generated months with known answers. */
class TargetReviewTest {

    static final Slo API = OpenSloLoader.load(Path.of("../../events/slos/checkout-api.yaml")).slo("api-availability")
            .orElseThrow(); // 99.9%, Occurrences
    static final Instant SEP = Instant.parse("2026-09-01T00:00:00Z");
    static final Instant DEC = Instant.parse("2026-12-01T00:00:00Z");

    /**
     * {@code total} requests a minute from {@code from} to {@code to}: one error every {@code badEvery} minutes, or
     * {@code badPerMinute} errors every minute.
     */
    static TargetReview months(Instant from, Instant to, int badEvery, long total, long badPerMinute) {
        TargetReview review = new TargetReview(List.of(API), Policy.NONE);
        for (long m = from.getEpochSecond() / 60; m < to.getEpochSecond() / 60; m++) {
            long bad = badEvery > 0 ? (m % badEvery == 0 ? 1 : 0) : badPerMinute;
            review.add("api-availability", m, new MinuteCounts(total - bad, total));
        }
        return review;
    }

    static Incident page(Instant at) {
        return new Incident("api-availability/" + at.getEpochSecond() / 60, "api-availability", "checkout-api",
                Incident.Kind.BURN, "page", at, null, at.plusSeconds(1800), List.of("page-1h"), 20.0, 0, false, 2);
    }

    @Test
    void threeMonthsAtNinetyNineNineNineAgainstNinetyNineNineGetATighteningSuggestion() {
        List<TargetReview.Budget> out = months(SEP, DEC, 15, 1000, 0).finish(DEC, Map.of());
        TargetReview.Budget b = out.get(0);
        assertThat(b.months()).extracting(TargetReview.Month::month).containsExactly(YearMonth.of(2026, 9),
                YearMonth.of(2026, 10), YearMonth.of(2026, 11));
        assertThat(b.months()).allSatisfy(m -> {
            assertThat(m.complete()).isTrue();
            assertThat(m.achieved()).isBetween(0.999933, 0.999934);
            assertThat(m.spent()).isBetween(0.0666, 0.0667);
            assertThat(m.pages()).isZero();
        });
        TargetReview.Suggestion s = b.suggestion();
        assertThat(s.kind()).isEqualTo(TargetReview.Suggestion.Kind.TIGHTEN);
        assertThat(s.to()).isEqualByComparingTo("0.9999");
        assertThat(s.reason()).isEqualTo("never at risk: over the 3 complete months at most 6.7% of the budget was "
                + "spent and nothing paged; the worst month achieved 99.9933%");
        assertThat(s.change()).contains("checkout-api.yaml, SLO api-availability, spec.objectives[0]")
                .contains("-    target: 0.999\n+    target: 0.9999\n");
    }

    @Test
    void aBudgetSpentEveryMonthWithFrequentPagesIsAboveWhatTheServiceDelivers() {
        List<Incident> pages = new ArrayList<>();
        for (String at : List.of("2026-09-03T10:00:00Z", "2026-09-20T10:00:00Z", "2026-10-02T10:00:00Z",
                "2026-10-15T10:00:00Z", "2026-11-08T10:00:00Z", "2026-11-22T10:00:00Z")) {
            pages.add(page(Instant.parse(at)));
        }
        TargetReview.Budget b = months(SEP, DEC, 0, 2000, 5).finish(DEC, Map.of("api-availability", pages)).get(0);
        assertThat(b.months()).extracting(TargetReview.Month::pages).containsExactly(2, 2, 2);
        assertThat(b.months()).allSatisfy(m -> assertThat(m.spent()).isBetween(2.49, 2.51));
        assertThat(b.suggestion().kind()).isEqualTo(TargetReview.Suggestion.Kind.RELAX_OR_IMPROVE);
        assertThat(b.suggestion().to()).isEqualByComparingTo(new BigDecimal("0.995"));
        assertThat(b.suggestion().reason()).startsWith("the budget was spent every month (250% to 250%) and 6 pages "
                + "came in the 3 complete months: the target is above what the service delivers (its worst month "
                + "achieved 99.75%)");
    }

    @Test
    void tenDaysAreTooLittleAndAnOverspentMonthWithoutPagesIsWatched() {
        TargetReview.Budget partial = months(Instant.parse("2026-11-20T00:00:00Z"), DEC, 15, 1000, 0).finish(DEC, Map.of())
                .get(0);
        assertThat(partial.months()).singleElement().satisfies(m -> assertThat(m.complete()).isFalse());
        assertThat(partial.suggestion().kind()).isEqualTo(TargetReview.Suggestion.Kind.TOO_LITTLE_DATA);
        TargetReview.Budget over = months(Instant.parse("2026-11-01T00:00:00Z"), DEC, 0, 2000, 3).finish(DEC, Map.of())
                .get(0);
        assertThat(over.suggestion().kind()).isEqualTo(TargetReview.Suggestion.Kind.KEEP);
        assertThat(over.suggestion().reason()).startsWith("over its budget in 1 of the one complete month (150% to "
                + "150% spent), 0 pages");
        assertThat(over.suggestion().change()).isNull();
    }
}
