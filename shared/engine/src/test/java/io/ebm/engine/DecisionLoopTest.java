package io.ebm.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebm.core.SettableClock;
import io.ebm.core.alert.AlertTier;
import io.ebm.core.budget.BudgetStatus;
import io.ebm.core.budget.EvaluationSettings;
import io.ebm.core.budget.Snapshot;
import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.openslo.SloDefinitions;
import io.ebm.core.policy.GateDecision;
import io.ebm.core.policy.Policy;
import io.ebm.core.policy.PolicyEngine;
import io.ebm.core.policy.ReleaseOverride;
import io.ebm.core.port.AlertNotice;
import io.ebm.core.port.StatusChange;
import io.ebm.core.slo.Slo;
import io.ebm.core.store.AlertRecord;
import io.ebm.core.store.OutboxEntry;
import io.ebm.core.store.SnapshotRecord;
import io.ebm.engine.DecisionLoopSimulationTest.FakeFlags;
import io.ebm.engine.DecisionLoopSimulationTest.FakePipelines;
import io.ebm.engine.DecisionLoopSimulationTest.Faults;
import io.ebm.engine.DecisionLoopSimulationTest.FaultyStore;
import io.ebm.engine.calculator.Calculator;
import io.ebm.engine.policy.Overrides;
import io.ebm.engine.policy.PolicyEnforcer;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The decision loop's cases one by one, as they were reproduced against the edge-triggered loop: the sample SLOs
 * and policy over the heap store, checkout-api with a month of clean traffic and, where a case needs one, a fast
 * burn of 2% errors (a page, while the budget stays HEALTHY).
 */
class DecisionLoopTest {

    static final Instant T = Instant.parse("2026-12-01T12:00:00Z");
    static final long TM = T.getEpochSecond() / 60;

    SloDefinitions definitions = DecisionLoopSimulationTest.definitions();
    List<Slo> slos = definitions.slos();
    Policy policy = DecisionLoopSimulationTest.policy();
    Faults noFaults = new Faults(1, 0);
    FaultyStore store;
    SettableClock clock;
    FakePipelines pipelines;
    FakeFlags flags;
    final List<AlertNotice> pages = new ArrayList<>();
    final List<StatusChange> events = new ArrayList<>();

    @BeforeEach
    void fleet() {
        store = new FaultyStore(noFaults);
        clock = new SettableClock(T);
        pipelines = new FakePipelines(noFaults);
        flags = new FakeFlags(noFaults);
    }

    /** Clean traffic on both checkout-api SLOs for 30 days before T and an hour after; 2% errors on the availability one from {@code burnFrom}. */
    void traffic(long burnFrom) {
        for (String slo : List.of("api-availability", "api-latency")) {
            NavigableMap<Long, MinuteCounts> m = new TreeMap<>();
            for (long t = TM - 30 * 1440; t < TM + 120; t++) {
                boolean burning = slo.equals("api-availability") && t >= burnFrom;
                m.put(t, new MinuteCounts(burning ? 980 : 1000, 1000));
            }
            store.upsertCounts(slo, m);
        }
    }

    /** Every request of api-availability fails in [from, to): the budget runs out. */
    void outage(long from, long to) {
        NavigableMap<Long, MinuteCounts> m = new TreeMap<>();
        for (long t = from; t < to; t++) {
            m.put(t, new MinuteCounts(0, 1000));
        }
        store.upsertCounts("api-availability", m);
    }

    Calculator calculator() {
        return calculator(AlertTier.WORKBOOK_DEFAULTS);
    }

    Calculator calculator(List<AlertTier> tiers) {
        return new Calculator(store, pages::add, events::add, new Calculator.Options(EvaluationSettings.DEFAULTS,
                tiers, null, 15, 100), line -> { }, clock);
    }

    PolicyEnforcer enforcer() {
        return new PolicyEnforcer(store, pipelines, b -> flags, n -> { }, line -> { }, clock, Duration.ofMinutes(10));
    }

    List<Slo> checkout() {
        return slos.stream().filter(s -> s.service().equals("checkout-api")).toList();
    }

    @Test
    void case1AFailedSnapshotWriteAnnouncesNothingAndTheNextRunWritesIt() {
        Faults once = new Faults(1, 0) {
            int calls;

            @Override
            <R> R around(String where, java.util.function.Supplier<R> call) {
                if (where.equals("store commitEvaluation") && calls++ == 0) {
                    throw new IllegalStateException("injected: DynamoDB timed out");
                }
                return call.get();
            }
        };
        store = new FaultyStore(once);
        traffic(Long.MAX_VALUE);
        Calculator.Run first = calculator().run(checkout(), T);
        assertThat(first.failures()).singleElement().asString().contains("DynamoDB timed out");
        assertThat(events).extracting(StatusChange::slo).containsExactly("api-latency"); // the other budget's write went in
        Calculator.Run next = calculator().run(checkout(), T.plusSeconds(300));
        // not frozen for a day behind a claim: the failed one is written, the other found unchanged and confirmed
        assertThat(next.snapshotsWritten()).isEqualTo(1);
        assertThat(next.confirmed()).isEqualTo(1);
        assertThat(store.confirmations()).containsOnlyKeys("api-latency");
        assertThat(events).extracting(StatusChange::slo).containsExactly("api-latency", "api-availability");
    }

    @Test
    void case2AStaleSnapshotIsNoDataAndFailClosedDenies() {
        traffic(Long.MAX_VALUE);
        calculator().run(checkout(), T);
        clock.set(T.plusSeconds(300));
        assertThat(enforcer().releaseGate("checkout-pipeline", "checkout-api", "Production", slos, policy).verdict())
                .isEqualTo(GateDecision.Verdict.ALLOW);
        clock.set(T.plus(Duration.ofHours(1))); // the calculator stopped
        GateDecision stale = enforcer().releaseGate("checkout-pipeline", "checkout-api", "Production", slos, policy);
        assertThat(stale.verdict()).isEqualTo(GateDecision.Verdict.DENY);
        assertThat(stale.reasons()).anySatisfy(r -> assertThat(r).contains("stale: the latest snapshot was evaluated at "
                + T).contains("policy example-policy fails closed"));
    }

    @Test
    void case3ThePolicyActsOnTheCommittedSnapshotWhenTheEventArrives() {
        traffic(Long.MAX_VALUE);
        calculator().run(checkout(), T);
        PolicyEnforcer enforcer = enforcer();
        enforcer.reconcile("schedule", slos, policy);
        assertThat(pipelines.frozen).isEmpty();
        // the budget runs out; the policy reacts to the status event as EventBridge delivers it
        outage(TM, TM + 60);
        List<List<String>> seen = new ArrayList<>();
        clock.set(T.plusSeconds(3600));
        new Calculator(store, n -> { }, e -> seen.add(enforcer.reconcile("status event", slos, policy).done()),
                new Calculator.Options(EvaluationSettings.DEFAULTS, AlertTier.WORKBOOK_DEFAULTS, null, 15, 100),
                line -> { }, clock).run(checkout(), T.plusSeconds(3600));
        assertThat(store.latestSnapshot("api-availability").orElseThrow().status()).isEqualTo("EXHAUSTED");
        assertThat(seen).anySatisfy(done -> assertThat(done).contains("freeze pipeline checkout-pipeline stage Production"));
        assertThat(pipelines.frozen).containsExactly("checkout-pipeline/Production");
    }

    @Test
    void case4ALateRunChangesNothingAndPagesNobody() {
        traffic(TM - 60);
        calculator().run(checkout(), T.plusSeconds(1800));
        int paged = pages.size();
        assertThat(paged).isPositive();
        AlertRecord page = store.alertState("api-availability").orElseThrow();
        Calculator.Run late = calculator().run(checkout(), T); // a shard redelivered 30 minutes late
        assertThat(late.stale()).isEqualTo(2);
        assertThat(late.snapshotsWritten()).isZero();
        assertThat(pages).hasSize(paged);
        assertThat(store.alertState("api-availability")).contains(page);
        assertThat(store.latestSnapshot("api-availability").orElseThrow().evaluatedAt()).isEqualTo(T.plusSeconds(1800));
    }

    @Test
    void case5ARunKilledBetweenItsCommitAndThePageLosesNoPage() {
        traffic(TM - 60);
        AtomicInteger sends = new AtomicInteger();
        Calculator dying = new Calculator(store, n -> {
            if (sends.getAndIncrement() == 0) {
                throw new DecisionLoopSimulationTest.Killed("sns Publish");
            }
            pages.add(n);
        }, events::add, new Calculator.Options(EvaluationSettings.DEFAULTS, AlertTier.WORKBOOK_DEFAULTS, null, 15, 100),
                line -> { }, clock);
        try {
            dying.run(checkout(), T);
        } catch (DecisionLoopSimulationTest.Killed expected) {
            // the invocation died with the page committed and leased
        }
        assertThat(store.pendingOutbox()).extracting(OutboxEntry::kind).contains(OutboxEntry.ALERT);
        clock.set(T.plusSeconds(300)); // the next tick, after the 2-minute lease
        calculator().run(checkout(), T.plusSeconds(300));
        assertThat(pages).extracting(p -> p.attributes().get("tier")).contains("page-1h");
        assertThat(store.pendingOutbox()).isEmpty();
    }

    @Test
    void case6ATierFiringRuleTurnsTheFlagOffAtThePageEvenWhenTheStatusDoesNotChange() {
        traffic(TM - 60);
        calculator().run(checkout(), T.minusSeconds(3600)); // HEALTHY, before the burn
        enforcer().reconcile("schedule", slos, policy);
        assertThat(flags.values).isEmpty();
        events.clear();
        calculator().run(checkout(), T);
        assertThat(events).isEmpty(); // still HEALTHY: no status event
        assertThat(store.latestSnapshot("api-availability").orElseThrow().status()).isEqualTo("HEALTHY");
        PolicyEnforcer.Outcome o = enforcer().reconcile("schedule", slos, policy);
        assertThat(o.done()).contains("set flag checkout-new-recommendations to false");
        assertThat(flags.values).containsEntry("checkout-new-recommendations", false);
    }

    @Test
    void case7AnOverrideOpensTheFrozenTransitionAndItsExpiryClosesItAgain() {
        traffic(Long.MAX_VALUE);
        outage(TM - 600, TM);
        calculator().run(checkout(), T);
        PolicyEnforcer.Outcome frozen = enforcer().reconcile("schedule", slos, policy);
        assertThat(pipelines.frozen).containsExactly("checkout-pipeline/Production");
        // the check from the facts the reconcile read says what a fresh read says
        assertThat(enforcer().shouldBeFrozen(frozen, policy)).containsExactly(true)
                .isEqualTo(enforcer().shouldBeFrozen(frozen.stages(), slos, policy));
        new Overrides(store).create("checkout-api", "Production", T.plus(Duration.ofHours(1)), "CVE hotfix",
                "alice@example.com", T, policy.release().overrideMaxDuration());
        PolicyEnforcer.Outcome overridden = enforcer().reconcile("override created", slos, policy);
        assertThat(pipelines.frozen).isEmpty(); // the hotfix can pass the transition
        assertThat(enforcer().shouldBeFrozen(overridden, policy)).containsExactly(false);
        clock.set(T.plus(Duration.ofMinutes(61)));
        calculator().run(checkout(), clock.instant());
        enforcer().reconcile("schedule", slos, policy);
        assertThat(pipelines.frozen).containsExactly("checkout-pipeline/Production"); // expired: frozen again
        // two reconciles at once (two status events): the world ends as the gate says
        clock.set(clock.instant().plusSeconds(60));
        PolicyEnforcer a = enforcer();
        PolicyEnforcer b = enforcer();
        a.reconcile("event 1", slos, policy);
        b.reconcile("event 2", slos, policy);
        assertThat(pipelines.frozen).containsExactly("checkout-pipeline/Production");
    }

    @Test
    void aPipelineStageTiedToSeveralServicesIsOneTransitionFrozenWhileAnyOfTheirGatesDenies() {
        String text;
        try {
            text = java.nio.file.Files.readString(java.nio.file.Path.of("../../events/policies/default-policy.yaml"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // the checkout pipeline's rule without its scope: every service's budget ties it
        Policy shared = io.ebm.core.policy.PolicyLoader.loadText("policy/shared.yaml", text.replace(
                "      scope:\n        services: [checkout-api]\n      when:\n        status: [EXHAUSTED]\n      then:\n"
                        + "        - freezeReleases:\n            stage: Production\n            pipeline: checkout-pipeline",
                "      when:\n        status: [EXHAUSTED]\n      then:\n"
                        + "        - freezeReleases:\n            stage: Production\n            pipeline: checkout-pipeline"));
        traffic(Long.MAX_VALUE);
        calculator().run(slos, T); // checkout-api HEALTHY; payments and search have no data: failClosed
        PolicyEnforcer enforcer = enforcer();
        List<PolicyEnforcer.ManagedStage> stages = enforcer.managedStages(slos, shared);
        assertThat(stages).singleElement().satisfies(st -> assertThat(st.services()).contains("checkout-api", "payments"));
        enforcer.reconcile("schedule", slos, shared);
        assertThat(pipelines.frozen).containsExactly("checkout-pipeline/Production");
        GateDecision approval = enforcer.releaseGate("checkout-pipeline", "checkout-api", "Production", slos, shared);
        assertThat(approval.verdict()).isEqualTo(GateDecision.Verdict.DENY); // approvals agree with the transition
        assertThat(approval.reasons().get(0)).startsWith("the policy holds pipeline checkout-pipeline stage Production "
                + "frozen: ").contains("payments");
    }

    @Test
    void case8AStagelessGateWantsAnAllStageOverrideAndAnUnknownServiceIsDenied() {
        traffic(Long.MAX_VALUE);
        outage(TM - 600, TM);
        calculator().run(checkout(), T);
        new Overrides(store).create("checkout-api", "Production", T.plusSeconds(3600), "hotfix", "bob", T,
                policy.release().overrideMaxDuration());
        List<Snapshot> snapshots = enforcer().snapshots(slos, policy);
        List<ReleaseOverride> stored = store.overrides("checkout-api");
        assertThat(PolicyEngine.gate("checkout-api", null, snapshots, policy, stored, T).verdict())
                .isEqualTo(GateDecision.Verdict.DENY);
        assertThat(PolicyEngine.gate("checkout-api", "Production", snapshots, policy, stored, T).verdict())
                .isEqualTo(GateDecision.Verdict.ALLOW);
        GateDecision typo = enforcer().releaseGate("checkout-pipeline", "chekout-api", "Production", slos, policy);
        assertThat(typo.verdict()).isEqualTo(GateDecision.Verdict.DENY);
        assertThat(typo.reasons()).singleElement().asString().contains("no SLO is defined for service chekout-api")
                .contains("fails closed for unknown services");
    }

    @Test
    void case9AlertAfterKeepsATierPendingInTheSnapshotAndTheRules() {
        traffic(TM - 60);
        AlertTier held = new AlertTier("page-1h", "page", 60, 5, null, new BigDecimal("14.4"), 15, true);
        calculator(List.of(held)).run(checkout(), T);
        Snapshot first = store.latestSnapshot("api-availability").orElseThrow().snapshot();
        assertThat(first.alerts()).singleElement().satisfies(t -> {
            assertThat(t.pending()).isTrue();
            assertThat(t.firing()).isFalse();
        });
        assertThat(pages).isEmpty();
        // the API says so too
        for (String file : List.of("checkout-api.yaml", "checkout-journey.yaml", "payments.yaml", "search.yaml")) {
            try {
                store.putDefinition(file, java.nio.file.Files.readString(java.nio.file.Path.of("../../events/slos", file)), T);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        var api = new io.ebm.engine.status.StatusApi(store, line -> { }, clock);
        String list = api.handle(new io.ebm.engine.status.HttpRequest("GET", "/slos", java.util.Map.of(),
                java.util.Map.of(), null, null)).body();
        assertThat(list).contains("\"name\":\"api-availability\"").contains("\"firing\":[],\"pending\":[\"page-1h\"]");
        Snapshot stored = SnapshotRecord.of(first, 1).snapshot();
        assertThat(io.ebm.core.budget.SnapshotJson.fromText(io.ebm.core.budget.SnapshotJson.toText(stored)).alerts().get(0)
                .pending()).isTrue();
        clock.set(T.plus(Duration.ofMinutes(15)));
        calculator(List.of(held)).run(checkout(), clock.instant());
        Snapshot later = store.latestSnapshot("api-availability").orElseThrow().snapshot();
        assertThat(later.alerts().get(0).firing()).isTrue();
        assertThat(pages).hasSize(1);
    }

    @Test
    void case11ALostResponseToACommitIsCountedAndTheNextRunCarriesOn() {
        Faults lose = new Faults(1, 0) {
            int calls;

            @Override
            <R> R around(String where, java.util.function.Supplier<R> call) {
                R r = call.get();
                if (where.equals("store commitEvaluation") && calls++ == 0) {
                    throw new IllegalStateException("injected: connection reset after the write");
                }
                return r;
            }
        };
        store = new FaultyStore(lose);
        traffic(Long.MAX_VALUE);
        Calculator.Run first = calculator().run(checkout(), T);
        assertThat(first.failures()).hasSize(1); // counted, so the Errors metric says so
        Calculator.Run next = calculator().run(checkout(), T.plusSeconds(300));
        assertThat(next.failures()).isEmpty();
        assertThat(next.snapshotsWritten() + next.confirmed()).isEqualTo(2); // written, or found unchanged
        assertThat(store.latestSnapshot("api-availability").orElseThrow().status()).isEqualTo(BudgetStatus.HEALTHY.name());
    }
}
