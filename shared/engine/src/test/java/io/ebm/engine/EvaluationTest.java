package io.ebm.engine;

import static io.ebm.core.TestSlos.slo;
import static org.assertj.core.api.Assertions.assertThat;

import io.ebm.core.alert.AlertTier;
import io.ebm.core.budget.EvaluationSettings;
import io.ebm.core.budget.Snapshot;
import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.openslo.SloDefinitions;
import io.ebm.core.policy.Exclusion;
import io.ebm.core.policy.Policy;
import io.ebm.core.policy.Scope;
import io.ebm.core.slo.BudgetingMethod;
import io.ebm.core.slo.DurationShorthand;
import io.ebm.core.slo.RollingWindow;
import io.ebm.core.slo.Slo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The evaluation pipeline: counts through the policy's exclusion windows into each budget's snapshot. */
class EvaluationTest {

    private static final Instant AT = Instant.parse("2026-12-01T00:00:00Z");
    private static final long AT_MIN = AT.getEpochSecond() / 60;
    private static final RollingWindow D30 = new RollingWindow(DurationShorthand.parse("30d"));

    @Test
    void exclusionWindowsDropOrForgiveTheirMinutes() {
        Slo slo = slo("api", D30, BudgetingMethod.OCCURRENCES, "0.999");
        Instant outageStart = AT.minusSeconds(3600);
        Exclusion maintenance = new Exclusion("m", new Scope(Set.of(), Set.of("api")), outageStart,
                outageStart.plusSeconds(600), null, Exclusion.Treatment.DROP);
        Exclusion loadTest = new Exclusion("l", new Scope(Set.of(), Set.of("api")), outageStart.plusSeconds(600),
                outageStart.plusSeconds(1200), null, Exclusion.Treatment.GOOD);
        Policy p = new Policy("p", Policy.NoData.FAIL_OPEN, List.of(), List.of(maintenance, loadTest), List.of(),
                AlertTier.WORKBOOK_DEFAULTS, EvaluationSettings.DEFAULTS);
        Evaluation ev = new Evaluation(new SloDefinitions(List.of(slo), Map.of()), p);
        for (long m = AT_MIN - 60; m < AT_MIN; m++) {
            ev.add("api", m, new MinuteCounts(0, 100)); // everything fails for an hour
        }
        Snapshot s = ev.snapshots(AT).get(0);
        assertThat(s.totalEvents()).isEqualTo(5000); // ten minutes dropped
        assertThat(s.goodEvents()).isEqualTo(1000); // ten minutes forgiven
    }
}
