package io.ebm.engine.status;

import static io.ebm.core.TestSlos.slo;
import static org.assertj.core.api.Assertions.assertThat;

import io.ebm.core.alert.AlertTier;
import io.ebm.core.budget.BudgetEvaluator;
import io.ebm.core.budget.BudgetSpec;
import io.ebm.core.budget.BudgetStatus;
import io.ebm.core.budget.EvaluationSettings;
import io.ebm.core.budget.Snapshot;
import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.slo.BudgetingMethod;
import io.ebm.core.slo.DurationShorthand;
import io.ebm.core.slo.RollingWindow;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dashboard's service summary: a budget without data is not healthy, and the deciding SLO is named. */
class PagesTest {

    static final Instant AT = Instant.parse("2026-12-01T00:00:00Z");

    static Snapshot snapshot(String name, boolean withData) {
        BudgetEvaluator e = new BudgetEvaluator(BudgetSpec.of(slo(name, new RollingWindow(DurationShorthand.parse("30d")),
                BudgetingMethod.OCCURRENCES, "0.999"), AlertTier.WORKBOOK_DEFAULTS).get(0));
        if (withData) {
            e.add(name, AT.getEpochSecond() / 60 - 10, new MinuteCounts(1000, 1000));
        }
        return e.snapshot(AT, EvaluationSettings.DEFAULTS);
    }

    @Test
    void aServiceWithABudgetWithoutDataIsNotShownHealthy() {
        Snapshot healthy = snapshot("fast", true);
        Snapshot silent = snapshot("silent", false);
        assertThat(healthy.status()).isEqualTo(BudgetStatus.HEALTHY);
        assertThat(silent.status()).isEqualTo(BudgetStatus.NO_DATA);
        // the overview lists the fullest budget first when the other has no data at all
        String page = Pages.dashboard(List.of(healthy, silent));
        String services = page.substring(page.indexOf("<h2>Services</h2>"), page.indexOf("<h2>SLOs"));
        assertThat(services).contains("? NO_DATA").doesNotContain("✓ HEALTHY")
                .contains("<a href=\"/slos/silent/view\">silent</a>").contains("100.00%");
        assertThat(Pages.worst(List.of(healthy, silent))).isSameAs(silent);
    }
}
