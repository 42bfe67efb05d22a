package io.ebm.core.incident;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebm.core.alert.AlertRules;
import io.ebm.core.alert.AlertTier;
import io.ebm.core.alert.Comparison;
import io.ebm.core.budget.BudgetStatus;
import io.ebm.core.budget.Snapshot;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The alert state machine as a pure function: open, escalate, inhibit, hold, re-open, resolve, alertAfter, no data. */
class AlertBookTest {

    static final Instant T = Instant.parse("2026-11-12T14:00:00Z");
    static final AlertTier PAGE = AlertTier.WORKBOOK_DEFAULTS.get(0); // page-1h: 1h/5m
    static final AlertTier PAGE_6H = AlertTier.WORKBOOK_DEFAULTS.get(1);
    static final AlertTier TICKET = AlertTier.WORKBOOK_DEFAULTS.get(2); // ticket-1d: 1d/2h
    static final AlertRules RULES = AlertRules.DEFAULTS;

    /** A tier at burn rates (long, short) against factor 10. */
    static Snapshot.TierResult tier(AlertTier t, double longBurn, double shortBurn) {
        return new Snapshot.TierResult(t, 10, longBurn, shortBurn, longBurn > 10 && shortBurn > 10);
    }

    static Snapshot snapshot(Instant at, Snapshot.TierResult... tiers) {
        return snapshot(at, BudgetStatus.HEALTHY, false, tiers);
    }

    static Snapshot snapshot(Instant at, BudgetStatus status, boolean noDataAlert, Snapshot.TierResult... tiers) {
        return new Snapshot("api", "checkout", new BigDecimal("0.999"), "Occurrences", "30d", at, at.minusSeconds(60),
                at, 43_200, 1_000, 1_010, 0.99, "events", new BigDecimal("43.2"), BigDecimal.TEN, Map.of(),
                List.of(tiers), Duration.ofHours(4), status, "ok", noDataAlert, at);
    }

    /** Steps the book through the snapshots; returns every step. */
    static List<AlertBook.Step> run(AlertRules rules, Snapshot... snapshots) {
        AlertBook book = AlertBook.empty("api");
        List<AlertBook.Step> steps = new ArrayList<>();
        for (Snapshot s : snapshots) {
            AlertBook.Step step = book.step(s, rules);
            steps.add(step);
            book = step.next();
        }
        return steps;
    }

    static List<AlertBook.Transition> told(List<AlertBook.Step> steps) {
        return steps.stream().flatMap(s -> s.notifications().stream()).map(AlertBook.Notification::transition).toList();
    }

    static Instant at(int minutes) {
        return T.plus(Duration.ofMinutes(minutes));
    }

    @Test
    void tiersOfOneSloOpenOneIncidentAtTheMostUrgentSeverity() {
        AlertBook.Step s = AlertBook.empty("api").step(snapshot(T, tier(PAGE, 60, 250), tier(PAGE_6H, 11, 120),
                tier(TICKET, 12, 30)), RULES);
        assertThat(s.notifications()).hasSize(1);
        AlertBook.Notification n = s.notifications().get(0);
        assertThat(n.transition()).isEqualTo(AlertBook.Transition.FIRING);
        assertThat(n.incident().severity()).isEqualTo("page");
        assertThat(n.incident().id()).isEqualTo("api/" + T.getEpochSecond() / 60);
        assertThat(n.incident().tiers()).containsExactly("page-1h", "page-6h", "ticket-1d");
        assertThat(n.incident().peakBurnRate()).isEqualTo(60.0);
        assertThat(s.changed()).containsExactly(n.incident());
        assertThat(s.held()).allMatch(Snapshot.TierResult::firing);
    }

    @Test
    void aTicketEscalatesOnceToAPageAndLowerTiersNeverNotify() {
        List<AlertBook.Step> steps = run(RULES,
                snapshot(at(0), tier(TICKET, 12, 30)),
                snapshot(at(5), tier(PAGE, 60, 250), tier(TICKET, 12, 30)),
                snapshot(at(10), tier(PAGE, 60, 250), tier(PAGE_6H, 11, 120), tier(TICKET, 12, 30)),
                snapshot(at(15), tier(PAGE, 60, 250), tier(PAGE_6H, 11, 120), tier(TICKET, 15, 30)));
        assertThat(told(steps)).containsExactly(AlertBook.Transition.FIRING, AlertBook.Transition.ESCALATED);
        Incident escalated = steps.get(1).notifications().get(0).incident();
        assertThat(escalated.severity()).isEqualTo("page");
        assertThat(escalated.escalatedAt()).isEqualTo(at(5));
        assertThat(escalated.openedAt()).isEqualTo(at(0));
        assertThat(steps.get(3).next().burn().tiers()).containsExactly("ticket-1d", "page-1h", "page-6h");
    }

    @Test
    void aResolveWaitsForTheHoldAndAReturnWithinItContinuesTheIncident() {
        List<AlertBook.Step> steps = run(RULES,
                snapshot(at(0), tier(PAGE, 60, 250)),
                snapshot(at(1), tier(PAGE, 20, 2)),    // below 90% of the line: clearing from here
                snapshot(at(5), tier(PAGE, 18, 3)),    // 4 minutes of the 5-minute hold
                snapshot(at(6), tier(PAGE, 30, 40)),   // back within the hold: the same incident, no notice
                snapshot(at(7), tier(PAGE, 15, 1)),
                snapshot(at(11), tier(PAGE, 14, 1)),
                snapshot(at(12), tier(PAGE, 13, 1)));  // 5 minutes below the line: resolved
        assertThat(told(steps)).containsExactly(AlertBook.Transition.FIRING, AlertBook.Transition.RESOLVED);
        assertThat(steps.get(1).next().tiers().get(0).phase()).isEqualTo(TierState.Phase.CLEARING);
        assertThat(steps.get(1).held().get(0).firing()).isTrue(); // still counts for the gate while clearing
        assertThat(steps.get(3).next().tiers().get(0).phase()).isEqualTo(TierState.Phase.FIRING);
        Incident resolved = steps.get(6).notifications().get(0).incident();
        assertThat(resolved.resolvedAt()).isEqualTo(at(12));
        assertThat(resolved.reopened()).isEqualTo(1);
        assertThat(resolved.notices()).isEqualTo(2);
        assertThat(steps.get(6).next().burn()).isNull();
        assertThat(steps.get(6).next().lastResolvedAt()).isEqualTo(at(12));
        assertThat(steps.get(6).held().get(0).firing()).isFalse();
    }

    @Test
    void aBurnWithinTheMarginKeepsTheTierFiring() {
        List<AlertBook.Step> steps = run(RULES,
                snapshot(at(0), tier(PAGE, 60, 250)),
                snapshot(at(10), tier(PAGE, 9.5, 9.1)),  // under the threshold of 10, over 9 (10% margin)
                snapshot(at(30), tier(PAGE, 9.5, 9.1)));
        assertThat(told(steps)).containsExactly(AlertBook.Transition.FIRING);
        assertThat(steps.get(2).next().tiers().get(0).phase()).isEqualTo(TierState.Phase.FIRING);
        AlertRules noMargin = new AlertRules(null, BigDecimal.ZERO, null, AlertRules.DEFAULT_NO_DATA_AFTER);
        assertThat(told(run(noMargin, snapshot(at(0), tier(PAGE, 60, 250)), snapshot(at(10), tier(PAGE, 9.5, 9.1)),
                snapshot(at(30), tier(PAGE, 9.5, 9.1))))).containsExactly(AlertBook.Transition.FIRING,
                AlertBook.Transition.RESOLVED);
    }

    @Test
    void aCoarseShortWindowGetsOneStepOfRoom() {
        // 36 slices in the short window at a 95% target: one bad slice is a burn of 0.56 against a factor of 1
        AlertTier ticket = AlertTier.WORKBOOK_DEFAULTS.get(3);
        Snapshot.TierResult firing = new Snapshot.TierResult(ticket, 1.0, 2.1, 1.11, true, false, 0.556);
        Snapshot.TierResult oneBadSlice = new Snapshot.TierResult(ticket, 1.0, 2.1, 0.556, false, false, 0.556);
        Snapshot.TierResult clean = new Snapshot.TierResult(ticket, 1.0, 2.1, 0.0, false, false, 0.556);
        assertThat(AlertBook.stillBurning(oneBadSlice, RULES)).isTrue();
        assertThat(AlertBook.stillBurning(clean, RULES)).isFalse();
        List<AlertBook.Step> steps = run(RULES, snapshot(at(0), firing), snapshot(at(60), oneBadSlice),
                snapshot(at(400), oneBadSlice), snapshot(at(800), clean), snapshot(at(800 + 360), clean));
        assertThat(told(steps)).containsExactly(AlertBook.Transition.FIRING, AlertBook.Transition.RESOLVED);
        assertThat(steps.get(4).notifications().get(0).incident().resolvedAt()).isEqualTo(at(1160));
    }

    @Test
    void aConditionComparedWithLtKeepsFiringAboveTheLineByTheMargin() {
        AlertTier low = new AlertTier("low", "ticket", 60, 5, null, BigDecimal.ONE, 0, true, Comparison.LT);
        Snapshot.TierResult justAbove = new Snapshot.TierResult(low, 1.0, 1.05, 1.05, false);
        Snapshot.TierResult wellAbove = new Snapshot.TierResult(low, 1.0, 1.2, 1.2, false);
        assertThat(AlertBook.stillBurning(justAbove, RULES)).isTrue();
        assertThat(AlertBook.stillBurning(wellAbove, RULES)).isFalse();
    }

    @Test
    void alertAfterHoldsTheTierPendingAndTellsNobodyUntilItPasses() {
        AlertTier held = new AlertTier("page-1h", "page", 60, 5, null, BigDecimal.TEN, 10, true);
        List<AlertBook.Step> steps = run(RULES,
                snapshot(at(0), tier(held, 60, 250)),
                snapshot(at(5), tier(held, 60, 250)),
                snapshot(at(10), tier(held, 60, 250)));
        assertThat(steps.get(0).held().get(0).pending()).isTrue();
        assertThat(steps.get(0).held().get(0).firing()).isFalse();
        assertThat(steps.get(1).notifications()).isEmpty();
        assertThat(told(steps)).containsExactly(AlertBook.Transition.FIRING);
        assertThat(steps.get(2).held().get(0).firing()).isTrue();
        // a condition that stops while pending never opens anything
        assertThat(told(run(RULES, snapshot(at(0), tier(held, 60, 250)), snapshot(at(5), tier(held, 1, 1)),
                snapshot(at(15), tier(held, 60, 250))))).isEmpty();
    }

    @Test
    void missingDataNeitherFiresNorResolvesAndAlertWhenNoDataTellsAfterItsHold() {
        Snapshot.TierResult blind = new Snapshot.TierResult(PAGE, 10, null, null, false);
        List<AlertBook.Step> steps = run(RULES,
                snapshot(at(0), tier(PAGE, 60, 250)),
                snapshot(at(5), BudgetStatus.NO_DATA, true, blind),
                snapshot(at(15), BudgetStatus.NO_DATA, true, blind),
                snapshot(at(20), BudgetStatus.NO_DATA, true, blind),  // 15 minutes without data: told
                snapshot(at(25), BudgetStatus.NO_DATA, true, blind),
                snapshot(at(30), tier(PAGE, 60, 250)));                // data back: told once
        assertThat(steps.get(2).next().burn()).isNotNull(); // the burn incident stays open through the silence
        assertThat(steps.get(2).held().get(0).firing()).isTrue();
        assertThat(steps.get(1).notifications()).isEmpty();
        assertThat(steps.get(3).notifications()).extracting(n -> n.incident().kind(), AlertBook.Notification::transition)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Incident.Kind.NO_DATA, AlertBook.Transition.FIRING));
        assertThat(steps.get(4).notifications()).isEmpty();
        assertThat(steps.get(5).notifications()).extracting(n -> n.incident().kind(), AlertBook.Notification::transition)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Incident.Kind.NO_DATA, AlertBook.Transition.RESOLVED));
        assertThat(steps.get(5).next().noData()).isNull();
        assertThat(steps.get(5).next().noDataSince()).isNull();
        // a first evaluation before the first counts arrive tells nobody
        assertThat(told(run(RULES, snapshot(at(0), BudgetStatus.NO_DATA, true, blind),
                snapshot(at(5), tier(PAGE, 1, 1))))).isEmpty();
    }

    @Test
    void alertWhenResolvedFalseResolvesSilentlyAndAlertWhenBreachingFalseOpensSilently() {
        AlertTier quietResolve = PAGE.withNotify(new AlertTier.Notify(true, false, List.of("oncall")));
        List<AlertBook.Step> steps = run(RULES, snapshot(at(0), tier(quietResolve, 60, 250)),
                snapshot(at(10), tier(quietResolve, 1, 1)), snapshot(at(20), tier(quietResolve, 1, 1)));
        assertThat(told(steps)).containsExactly(AlertBook.Transition.FIRING);
        assertThat(steps.get(0).notifications().get(0).targets()).containsExactly("oncall");
        assertThat(steps.get(2).changed()).singleElement().satisfies(i -> assertThat(i.resolvedAt()).isEqualTo(at(20)));

        AlertTier quietBreach = PAGE.withNotify(new AlertTier.Notify(false, true, List.of()));
        List<AlertBook.Step> silent = run(RULES, snapshot(at(0), tier(quietBreach, 60, 250)),
                snapshot(at(10), tier(quietBreach, 1, 1)), snapshot(at(20), tier(quietBreach, 1, 1)));
        assertThat(told(silent)).containsExactly(AlertBook.Transition.RESOLVED);
        assertThat(silent.get(0).changed()).singleElement().satisfies(i -> assertThat(i.notices()).isZero());
    }

    @Test
    void anIncidentOpeningWithinAHoldOfTheLastOneIsAFlap() {
        List<AlertBook.Step> steps = run(RULES,
                snapshot(at(0), tier(PAGE, 60, 250)),
                snapshot(at(5), tier(PAGE, 1, 1)),
                snapshot(at(10), tier(PAGE, 1, 1)),     // resolved
                snapshot(at(12), tier(PAGE, 60, 250)),  // 2 minutes later, within the 5-minute hold
                snapshot(at(13), tier(PAGE, 1, 1)),
                snapshot(at(18), tier(PAGE, 1, 1)),
                snapshot(at(40), tier(PAGE, 60, 250))); // long after
        assertThat(steps.stream().map(AlertBook.Step::flapped)).containsExactly(false, false, false, true, false,
                false, false);
        assertThat(steps.get(3).notifications().get(0).incident().flap()).isTrue();
        assertThat(steps.get(6).notifications().get(0).incident().flap()).isFalse();
    }

    @Test
    void targetsAreEveryFiringTiersTargetsOnce() {
        AlertTier a = PAGE.withNotify(new AlertTier.Notify(true, true, List.of("oncall", "slack")));
        AlertTier b = PAGE_6H.withNotify(new AlertTier.Notify(true, true, List.of("slack", "email")));
        AlertBook.Step s = AlertBook.empty("api").step(snapshot(T, tier(a, 60, 250), tier(b, 11, 120)), RULES);
        assertThat(s.notifications().get(0).targets()).containsExactly("oncall", "slack", "email");
    }

    @Test
    void booksAndIncidentsRoundTripThroughTheirJson() {
        List<AlertBook.Step> steps = run(RULES, snapshot(at(0), tier(TICKET, 12, 30)),
                snapshot(at(5), tier(PAGE, 60, 250), tier(TICKET, 12, 30)), snapshot(at(6), tier(PAGE, 20, 2)));
        AlertBook book = steps.get(2).next();
        assertThat(IncidentJson.book(IncidentJson.toJson(book))).isEqualTo(book);
        Incident i = book.burn();
        assertThat(IncidentJson.incident(IncidentJson.toJson(i))).isEqualTo(i);
        Incident noData = new Incident("api/no-data/1", "api", "checkout", Incident.Kind.NO_DATA, "ticket", T, null,
                at(30), List.of(), null, 0, false, 2);
        assertThat(IncidentJson.incident(IncidentJson.toJson(noData))).isEqualTo(noData);
    }
}
