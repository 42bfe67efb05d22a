package io.ebm.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebm.core.alert.AlertTier;
import io.ebm.core.budget.BudgetEvaluator;
import io.ebm.core.budget.BudgetSpec;
import io.ebm.core.budget.EvaluationSettings;
import io.ebm.core.budget.Snapshot;
import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.openslo.OpenSloLoader;
import io.ebm.core.policy.Condition;
import io.ebm.core.slo.Slo;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Who spent the budget, over generated deployments with known answers. */
class LedgerTest {

    static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    static final long M0 = T0.getEpochSecond() / 60;
    static final Slo API = OpenSloLoader.load(Path.of("../../events/slos/checkout-api.yaml")).slo("api-availability")
            .orElseThrow(); // 99.9% over 30 days, Occurrences

    static Deployment landed(String execution, Instant at) {
        return new Deployment("checkout-api", "checkout-pipeline", execution, "rev" + execution, "Production",
                at.minusSeconds(600), at, at.plusSeconds(120), Deployment.Status.SUCCEEDED, "codepipeline");
    }

    /**
     * Ten days of 1,000 requests a minute: 14,400,000 requests, a budget of 14,400 errors. Deployment 41 lands on
     * day 2 and is clean; deployment 42 lands on day 9 at 12:00 and fails 96 requests a minute for an hour: 5,760
     * errors, 40% of the budget.
     */
    static BudgetEvaluator month() {
        BudgetEvaluator e = new BudgetEvaluator(BudgetSpec.of(API, AlertTier.WORKBOOK_DEFAULTS).get(0));
        long bad0 = M0 + 8 * 1440 + 12 * 60;
        for (long m = M0; m < M0 + 10 * 1440; m++) {
            long bad = m >= bad0 && m < bad0 + 60 ? 96 : 0;
            e.add("api-availability", m, new MinuteCounts(1000 - bad, 1000));
        }
        return e;
    }

    static Ledger.Spending spending(BudgetEvaluator e) {
        return new Ledger.Spending() {
            @Override
            public double between(Instant from, Instant to) {
                return e.spentBetween(from.getEpochSecond() / 60, to.getEpochSecond() / 60);
            }

            @Override
            public Instant countedFrom() {
                return Instant.ofEpochSecond(e.countedFrom() * 60);
            }
        };
    }

    @Test
    void aDeploymentThatBurnsFortyPercentInAnHourIsNamedAndThePreviousOneIsClean() {
        BudgetEvaluator e = month();
        Instant now = T0.plus(Duration.ofDays(10));
        Snapshot s = e.snapshot(now, EvaluationSettings.DEFAULTS);
        assertThat(s.budgetTotal()).isEqualByComparingTo("14400");
        List<Deployment> ds = List.of(landed("42", T0.plus(Duration.ofDays(8)).plus(Duration.ofHours(12))),
                landed("41", T0.plus(Duration.ofDays(1))));
        List<LedgerEntry> ledger = Ledger.entries("api-availability", ds, spending(e), 14_400, now, Duration.ofHours(1));
        assertThat(ledger).extracting(x -> x.deployment().execution()).containsExactly("41", "42");
        assertThat(ledger.get(0).firstSpanShare()).isZero();
        assertThat(ledger.get(0).inForceShare()).isZero();
        assertThat(ledger.get(0).inForce()).isEqualTo(Duration.ofDays(7).plusHours(12));
        assertThat(ledger.get(1).firstSpanShare()).isEqualTo(0.4);
        assertThat(ledger.get(1).inForceShare()).isEqualTo(0.4);
        assertThat(ledger.get(1).current()).isTrue();

        DeploymentSpend spend = Ledger.newest(ds, spending(e), 14_400, now, Set.of(Duration.ofHours(1),
                Duration.ofMinutes(30)));
        assertThat(spend.execution()).isEqualTo("42");
        assertThat(spend.spentWithin(Duration.ofHours(1))).isEqualTo(0.4);
        assertThat(spend.spentWithin(Duration.ofMinutes(30))).isEqualTo(0.2);
        assertThat(spend.describe()).isEqualTo("checkout-pipeline execution 42 (revision rev42, Production at 9 Nov "
                + "12:00 UTC)");

        // the policy condition names it, strictly above its share
        Snapshot withSpend = s.withDeployment(spend);
        assertThat(new Condition(null, null, null, null, null, new Condition.DeploymentSpent(new BigDecimal("0.1"),
                Duration.ofHours(1))).evaluate(withSpend)).get().asList().singleElement().asString()
                .isEqualTo("checkout-pipeline execution 42 (revision rev42, Production at 9 Nov 12:00 UTC) spent 40% "
                        + "of the budget within 1 hour of landing, more than 10%");
        assertThat(new Condition(null, null, null, null, null, new Condition.DeploymentSpent(new BigDecimal("0.4"),
                Duration.ofHours(1))).evaluate(withSpend)).isEmpty(); // 40% is not more than 40%
        assertThat(new Condition(null, null, null, null, null, new Condition.DeploymentSpent(new BigDecimal("0.1"),
                Duration.ofHours(2))).evaluate(withSpend)).isEmpty(); // a span the calculator did not compute
        assertThat(new Condition(null, null, null, null, null, new Condition.DeploymentSpent(new BigDecimal("0.1"),
                Duration.ofHours(1))).evaluate(s)).isEmpty(); // no deployment known
    }

    @Test
    void aDeploymentNotLandedYetOrOutsideTheWindowCostsNothing() {
        BudgetEvaluator e = month();
        Instant now = T0.plus(Duration.ofDays(10));
        e.snapshot(now, EvaluationSettings.DEFAULTS);
        Deployment inProgress = new Deployment("checkout-api", "checkout-pipeline", "43", null, null, now, null, null,
                Deployment.Status.IN_PROGRESS, "codepipeline");
        Deployment future = landed("44", now.plusSeconds(600));
        assertThat(Ledger.entries("api-availability", List.of(inProgress, future), spending(e), 14_400, now,
                Duration.ofHours(1))).isEmpty();
        assertThat(Ledger.newest(List.of(inProgress), spending(e), 14_400, now, Set.of(Duration.ofHours(1)))).isNull();
        assertThat(Ledger.entries("api-availability", List.of(landed("40", T0)), spending(e), 0, now,
                Duration.ofHours(1))).singleElement().satisfies(x -> assertThat(x.firstSpanShare()).isZero());
    }

    @Test
    void eventsMergeInAnyOrderAndATerminalStateIsNeverUndone() {
        Instant start = Instant.parse("2026-11-12T13:40:00Z");
        Deployment started = new Deployment("s", "p", "1", null, null, start, null, null, Deployment.Status.IN_PROGRESS,
                "codepipeline");
        Deployment source = new Deployment("s", "p", "1", "abc", null, null, null, null, Deployment.Status.IN_PROGRESS,
                "codepipeline");
        Deployment stage = new Deployment("s", "p", "1", null, "Production", null, start.plusSeconds(1080), null,
                Deployment.Status.IN_PROGRESS, "codepipeline");
        Deployment done = new Deployment("s", "p", "1", null, null, null, start.plusSeconds(1500),
                start.plusSeconds(1500), Deployment.Status.SUCCEEDED, "codepipeline");
        Deployment expected = new Deployment("s", "p", "1", "abc", "Production", start, start.plusSeconds(1080),
                start.plusSeconds(1500), Deployment.Status.SUCCEEDED, "codepipeline");
        assertThat(started.merge(source).merge(stage).merge(done)).isEqualTo(expected);
        assertThat(done.merge(stage).merge(started).merge(source)).isEqualTo(expected);
        assertThat(done.merge(done).merge(started)).extracting(Deployment::status).isEqualTo(Deployment.Status.SUCCEEDED);
        assertThat(DeploymentJson.fromJson(DeploymentJson.toJson(expected))).isEqualTo(expected);
        assertThat(Deployment.select(List.of(expected, landed("0", Instant.parse("2026-11-01T00:00:00Z")),
                landed("-1", Instant.parse("2026-10-01T00:00:00Z"))), Instant.parse("2026-11-10T00:00:00Z"),
                Instant.parse("2026-11-13T00:00:00Z"))).extracting(Deployment::execution).containsExactly("0", "1");
    }

    @Test
    void aSnapshotKeepsItsDeploymentSpendThroughItsJson() {
        BudgetEvaluator e = month();
        Snapshot s = e.snapshot(T0.plus(Duration.ofDays(10)), EvaluationSettings.DEFAULTS)
                .withDeployment(new DeploymentSpend("checkout-pipeline", "42", "abc", "Production", T0, 0.4,
                        Map.of(60L, 0.4, 30L, 0.2)));
        Snapshot back = io.ebm.core.budget.SnapshotJson.fromText(io.ebm.core.budget.SnapshotJson.toText(s));
        assertThat(back.deployment()).isEqualTo(s.deployment());
    }
}
