package io.ebm.core.policy;

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
import io.ebm.core.slo.Slo;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyEngineTest {

    private static final Instant AT = Instant.parse("2026-12-01T00:00:00Z");
    private static final long AT_MIN = AT.getEpochSecond() / 60;
    private static final RollingWindow D30 = new RollingWindow(DurationShorthand.parse("30d"));

    /** One snapshot of a 99.9% SLO named {@code name} of service svc: bad of 1,000,000 events long ago. */
    private static Snapshot snapshot(String name, long bad) {
        Slo slo = slo(name, D30, BudgetingMethod.OCCURRENCES, "0.999");
        BudgetEvaluator e = new BudgetEvaluator(BudgetSpec.of(slo, AlertTier.WORKBOOK_DEFAULTS).get(0));
        if (bad >= 0) {
            e.add(name, AT_MIN - 5000, new MinuteCounts(1_000_000 - bad, 1_000_000));
        }
        return e.snapshot(AT, EvaluationSettings.DEFAULTS);
    }

    private static Rule rule(String name, Condition when, Action... then) {
        return new Rule(name, null, Scope.ALL, when, List.of(then));
    }

    private static Condition status(BudgetStatus... s) {
        return new Condition(Set.of(s), null, null, null, null);
    }

    private static Policy policy(Policy.NoData noData, Rule... rules) {
        return new Policy("p", noData, List.of(rules), List.of(), List.of(), AlertTier.WORKBOOK_DEFAULTS,
                EvaluationSettings.DEFAULTS);
    }

    @Test
    void anExhaustedBudgetFreezesReleasesWithItsReasons() {
        Policy p = policy(Policy.NoData.FAIL_OPEN,
                rule("freeze", status(BudgetStatus.EXHAUSTED), new Action.FreezeReleases(null, null),
                        new Action.SetFeatureFlag("risky", false)));
        List<Snapshot> snaps = List.of(snapshot("api", 1500), snapshot("web", 10));
        List<Decision> decisions = PolicyEngine.decide(snaps, p, List.of(), AT);
        assertThat(decisions).hasSize(2);
        assertThat(decisions).extracting(Decision::budget).containsOnly("api");
        assertThat(decisions.get(0).reasons()).containsExactly(
                "api: status is EXHAUSTED (error budget exceeded: consumed 150% of it)");
        assertThat(decisions.get(1).action()).isEqualTo(new Action.SetFeatureFlag("risky", false));

        GateDecision gate = PolicyEngine.gate("svc", null, snaps, p, List.of(), AT);
        assertThat(gate.verdict()).isEqualTo(GateDecision.Verdict.DENY);
        assertThat(gate.reasons()).containsExactly("rule freeze freeze releases because api: status is EXHAUSTED "
                + "(error budget exceeded: consumed 150% of it)");
    }

    @Test
    void aHealthyServiceMayReleaseAndIsToldWhy() {
        Policy p = policy(Policy.NoData.FAIL_OPEN,
                rule("freeze", status(BudgetStatus.EXHAUSTED), new Action.FreezeReleases(null, null)));
        GateDecision gate = PolicyEngine.gate("svc", "Production", List.of(snapshot("api", 100)), p, List.of(), AT);
        assertThat(gate.verdict()).isEqualTo(GateDecision.Verdict.ALLOW);
        assertThat(gate.reasons()).containsExactly("api is HEALTHY (remaining budget 90%); no rule freezes it");
    }

    @Test
    void anActiveOverrideAllowsAndSaysWhatItOverrode() {
        Policy p = policy(Policy.NoData.FAIL_OPEN,
                rule("freeze", status(BudgetStatus.EXHAUSTED), new Action.FreezeReleases(null, null)));
        ReleaseOverride o = new ReleaseOverride("o1", "svc", null, AT.plusSeconds(3600), "security fix", "alice");
        List<Snapshot> snaps = List.of(snapshot("api", 1500));
        GateDecision gate = PolicyEngine.gate("svc", "Production", snaps, p, List.of(o), AT);
        assertThat(gate.verdict()).isEqualTo(GateDecision.Verdict.ALLOW);
        assertThat(gate.activeOverrides()).containsExactly(o);
        assertThat(gate.reasons().get(0)).isEqualTo("allowed by override o1 by alice until "
                + io.ebm.core.Human.time(AT.plusSeconds(3600)) + ": security fix");
        assertThat(gate.reasons().get(1)).startsWith("overridden: rule freeze freeze releases because api");
        assertThat(PolicyEngine.decide(snaps, p, List.of(o), AT).get(0).overriddenBy()).contains("security fix");
    }

    @Test
    void expiredOverridesAndOverridesForOtherStagesAreIgnored() {
        Policy p = policy(Policy.NoData.FAIL_OPEN,
                rule("freeze", status(BudgetStatus.EXHAUSTED), new Action.FreezeReleases(null, null)));
        ReleaseOverride expired = new ReleaseOverride("o1", "svc", null, AT, "old", "alice");
        ReleaseOverride staging = new ReleaseOverride("o2", "svc", "Staging", AT.plusSeconds(60), "test", "bob");
        GateDecision gate = PolicyEngine.gate("svc", "Production", List.of(snapshot("api", 1500)), p,
                List.of(expired, staging), AT);
        assertThat(gate.verdict()).isEqualTo(GateDecision.Verdict.DENY);
        assertThat(gate.activeOverrides()).isEmpty();
    }

    @Test
    void noDataFailsOpenOrClosedAsThePolicySays() {
        Snapshot none = snapshot("api", -1);
        assertThat(none.status()).isEqualTo(BudgetStatus.NO_DATA);
        GateDecision open = PolicyEngine.gate("svc", null, List.of(none), policy(Policy.NoData.FAIL_OPEN), List.of(), AT);
        assertThat(open.verdict()).isEqualTo(GateDecision.Verdict.ALLOW);
        assertThat(open.reasons().get(0)).contains("has no data").endsWith("policy p fails open");
        GateDecision closed = PolicyEngine.gate("svc", null, List.of(none), policy(Policy.NoData.FAIL_CLOSED),
                List.of(), AT);
        assertThat(closed.verdict()).isEqualTo(GateDecision.Verdict.DENY);
        assertThat(closed.reasons().get(0)).endsWith("policy p fails closed");
    }

    @Test
    void theFirstRuleThatHoldsDecidesTheGate() {
        Condition low = new Condition(null, new BigDecimal("0.5"), null, null, null);
        Policy allowFirst = policy(Policy.NoData.FAIL_OPEN,
                rule("hotfix-window", low, new Action.AllowReleases(null, "Production")),
                rule("freeze", status(BudgetStatus.EXHAUSTED), new Action.FreezeReleases(null, null)));
        List<Snapshot> snaps = List.of(snapshot("api", 1500));
        assertThat(PolicyEngine.gate("svc", "Production", snaps, allowFirst, List.of(), AT).verdict())
                .isEqualTo(GateDecision.Verdict.ALLOW);
        // the allowing rule names Production only: Staging falls through to the freeze
        assertThat(PolicyEngine.gate("svc", "Staging", snaps, allowFirst, List.of(), AT).verdict())
                .isEqualTo(GateDecision.Verdict.DENY);
    }

    @Test
    void aRuleCanFreezeAnotherServiceThatDependsOnTheBurningOne() {
        Policy p = policy(Policy.NoData.FAIL_OPEN,
                rule("freeze-frontend", status(BudgetStatus.EXHAUSTED), new Action.FreezeReleases("frontend", null)));
        GateDecision gate = PolicyEngine.gate("frontend", null, List.of(snapshot("api", 1500)), p, List.of(), AT);
        assertThat(gate.verdict()).isEqualTo(GateDecision.Verdict.DENY);
        assertThat(PolicyEngine.gate("svc", null, List.of(snapshot("api", 1500)), p, List.of(), AT).verdict())
                .isEqualTo(GateDecision.Verdict.ALLOW);
    }

    @Test
    void conditionsHoldOnlyWhenEveryPartHolds() {
        Snapshot s = snapshot("api", 800); // 20% left
        assertThat(new Condition(null, new BigDecimal("0.2"), null, null, null).evaluate(s)).isEmpty(); // strict <
        assertThat(new Condition(null, new BigDecimal("0.21"), null, null, null).evaluate(s)).get()
                .asList().containsExactly("remaining budget 20% is below 21%");
        assertThat(new Condition(Set.of(BudgetStatus.EXHAUSTED), new BigDecimal("0.21"), null, null, null)
                .evaluate(s)).isEmpty();
        assertThat(new Condition(null, null, Set.of("page"), null, null).evaluate(s)).isEmpty();
        assertThat(new Condition(null, null, null, null, false).evaluate(s)).isPresent();
        assertThat(new Condition(null, null, null, null, true).evaluate(s)).isEmpty();
        assertThat(new Condition(null, null, null, Duration.ofDays(1), null).evaluate(s)).isEmpty(); // not burning
    }

    @Test
    void weeklyExclusionsFollowLocalTimeAcrossDst() {
        Exclusion.Recurrence sunday3am = new Exclusion.Recurrence(Set.of(DayOfWeek.SUNDAY), LocalTime.of(3, 0),
                Duration.ofHours(1), ZoneId.of("Europe/Paris"));
        Exclusion e = new Exclusion("w", Scope.ALL, null, null, sunday3am, Exclusion.Treatment.GOOD);
        // summer: 03:00 Paris is 01:00Z; winter: 02:00Z
        assertThat(e.covers("s", "x", Instant.parse("2026-07-05T01:30:00Z"))).isTrue();
        assertThat(e.covers("s", "x", Instant.parse("2026-07-05T02:30:00Z"))).isFalse();
        assertThat(e.covers("s", "x", Instant.parse("2026-11-29T02:00:00Z"))).isTrue();
        assertThat(e.covers("s", "x", Instant.parse("2026-11-29T01:59:00Z"))).isFalse();
        assertThat(e.covers("s", "x", Instant.parse("2026-11-30T02:30:00Z"))).isFalse(); // a Monday
    }

    @Test
    void anAnswerHoldsForEveryMinuteOfItsSpanAcrossDstAndMidnight() {
        List<Exclusion> windows = List.of(
                new Exclusion("sun", Scope.ALL, null, null, new Exclusion.Recurrence(Set.of(DayOfWeek.SUNDAY),
                        LocalTime.of(2, 30), Duration.ofHours(1), ZoneId.of("Europe/Paris")), Exclusion.Treatment.GOOD),
                new Exclusion("nights", Scope.ALL, null, null, new Exclusion.Recurrence(Set.of(DayOfWeek.MONDAY,
                        DayOfWeek.FRIDAY), LocalTime.of(23, 15), Duration.ofMinutes(150), ZoneId.of("America/New_York")),
                        Exclusion.Treatment.DROP),
                new Exclusion("once", Scope.ALL, Instant.parse("2026-10-25T00:10:00Z"),
                        Instant.parse("2026-10-25T03:00:00Z"), null, Exclusion.Treatment.DROP));
        for (Exclusion e : windows) {
            Instant t = Instant.parse("2026-10-20T00:00:00Z"); // both DST ends (25 Oct Paris, 1 Nov New York)
            int answers = 0;
            while (t.isBefore(Instant.parse("2026-11-10T00:00:00Z"))) {
                Exclusion.Answer a = e.answerAt("s", "x", t);
                answers++;
                assertThat(a.until()).as(e.name() + " at " + t).isAfter(t);
                Instant end = a.until().isAfter(Instant.parse("2026-11-10T00:00:00Z"))
                        ? Instant.parse("2026-11-10T00:00:00Z") : a.until();
                for (Instant m = t; m.isBefore(end); m = m.plusSeconds(60)) {
                    assertThat(e.covers("s", "x", m)).as(e.name() + " at " + m).isEqualTo(a.covered());
                }
                t = end;
            }
            assertThat(answers).as(e.name()).isLessThan(40); // spans, not minutes
        }
    }

    @Test
    void decidingAlikeFromKeptAnswersAgreesWithAskingBothSnapshots() {
        Policy p = policy(Policy.NoData.FAIL_OPEN,
                rule("exhausted", status(BudgetStatus.EXHAUSTED), new Action.FreezeReleases(null, null)),
                rule("warning", status(BudgetStatus.WARNING, BudgetStatus.EXHAUSTED),
                        new Action.Notify("sre", null)),
                rule("low", new Condition(Set.of(), new BigDecimal("0.5"), null, null, null),
                        new Action.Notify("sre", null)),
                new Rule("elsewhere", null, new Scope(Set.of("other-service"), Set.of()),
                        status(BudgetStatus.HEALTHY), List.of(new Action.Notify("sre", null))));
        // healthy, under half left, warning, exhausted, no data: every pair, both ways
        List<Snapshot> snapshots = List.of(snapshot("a", 100), snapshot("a", 600), snapshot("a", 800),
                snapshot("a", 2000), snapshot("a", -1));
        int alike = 0;
        for (Snapshot a : snapshots) {
            for (Snapshot b : snapshots) {
                // asked of both, rule by rule, as the definition says
                boolean asked = p.rules().stream().allMatch(r -> !r.scope().matches(a.service(), a.name())
                        || r.when().holds(a) == r.when().holds(b));
                assertThat(p.decidesAlike(a, p.answers(b))).as("%s against %s", a.status(), b.status())
                        .isEqualTo(asked);
                assertThat(p.decidesAlike(a, b)).isEqualTo(asked);
                alike += asked ? 1 : 0;
            }
        }
        // each decides alike with itself, and the healthy one with the one without data (no rule holds of
        // either); the others differ on at least one rule
        assertThat(alike).isEqualTo(7);
        assertThat(p.answers(snapshot("a", 600))).containsExactly(false, false, true, false);
        assertThat(p.answers(snapshot("a", 800))).containsExactly(false, true, true, false);
        assertThat(p.answers(snapshot("a", 2000))).containsExactly(true, true, true, false);
        assertThat(p.answers(snapshot("a", 100))).containsExactly(false, false, false, false);
    }
}
