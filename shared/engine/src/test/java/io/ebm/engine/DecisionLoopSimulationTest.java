package io.ebm.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebm.core.SettableClock;
import io.ebm.core.alert.AlertTier;
import io.ebm.core.budget.EvaluationSettings;
import io.ebm.core.budget.Snapshot;
import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.openslo.OpenSloLoader;
import io.ebm.core.openslo.SloDefinitions;
import io.ebm.core.policy.Action;
import io.ebm.core.policy.Decision;
import io.ebm.core.policy.GateDecision;
import io.ebm.core.policy.Policy;
import io.ebm.core.policy.PolicyEngine;
import io.ebm.core.policy.PolicyLoader;
import io.ebm.core.port.AlertNotifier;
import io.ebm.core.port.FeatureFlags;
import io.ebm.core.port.Releases;
import io.ebm.core.port.StatusEvents;
import io.ebm.core.slo.Slo;
import io.ebm.core.store.AlertRecord;
import io.ebm.core.store.AuditEntry;
import io.ebm.core.store.OutboxEntry;
import io.ebm.core.store.SnapshotRecord;
import io.ebm.core.store.TargetRecord;
import io.ebm.engine.calculator.Calculator;
import io.ebm.engine.policy.Overrides;
import io.ebm.engine.policy.PolicyEnforcer;
import io.ebm.store.ForwardingBudgetStore;
import io.ebm.store.MemoryBudgetStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The decision loop under faults, deterministically: the sample SLOs and policy over two days of seeded traffic
 * with incidents, the calculator and the policy's reconciler at a 5-minute tick, and a seeded fault injector in
 * front of every external effect: store writes, SNS, EventBridge, the pipeline, the flags. A fault fails a call
 * before it happens, or after it succeeded (the caller sees an error, the effect stands), or kills the run there.
 * On top of that: runs delivered twice, a stale shard run 30 minutes late, a reconcile that started 10 minutes
 * earlier finishing last, an hour with no calculator, an override created and left to expire.
 *
 * <p>After every tick, and one clean reconcile (the "within one reconcile" of the guarantee), it checks: every
 * managed stage transition equals the gate; a forced flag equals the rules; snapshots never move back in time;
 * a stale fleet is denied under failClosed. At the end of each seed: no announcement lost (everything committed
 * was delivered at least once), and duplicates only where a fault cut a delivery short, under the same key.
 */
class DecisionLoopSimulationTest {

    static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    static final Duration TICK = Duration.ofMinutes(5);
    static final int DAYS = 2;
    static final int SEEDS = Integer.getInteger("ebm.simulation.seeds", 24);
    /** The share of external calls a fault strikes. */
    static final double FAULT_RATE = Double.parseDouble(System.getProperty("ebm.simulation.faultRate", "0.04"));

    /** Thrown by a fault that kills the run where it is: an Error, so that no catch in the code under test keeps it. */
    static final class Killed extends Error {
        Killed(String where) {
            super("killed at " + where);
        }
    }

    /** Seeded faults at a rate; counts what it injected. */
    static class Faults {
        final Random random;
        final double rate;
        boolean enabled = true;
        int injected;
        int afterSuccess;

        Faults(long seed, double rate) {
            this.random = new Random(seed);
            this.rate = rate;
        }

        <T> T around(String where, Supplier<T> call) {
            int kind = enabled && random.nextDouble() < rate ? 1 + random.nextInt(4) : 0;
            if (kind == 1) {
                injected++;
                throw new IllegalStateException("injected: " + where + " failed");
            }
            if (kind == 2) {
                injected++;
                throw new Killed(where);
            }
            T value = call.get();
            if (kind == 3) {
                injected++;
                afterSuccess++;
                throw new IllegalStateException("injected: the response to " + where + " was lost");
            }
            if (kind == 4) {
                injected++;
                afterSuccess++;
                throw new Killed("after " + where);
            }
            return value;
        }

        void run(String where, Runnable call) {
            around(where, () -> {
                call.run();
                return null;
            });
        }
    }

    /** The heap store behind the fault injector; remembers every announcement a commit made. */
    static final class FaultyStore extends ForwardingBudgetStore {
        final MemoryBudgetStore real;
        final Faults faults;
        final Set<String> owed = new HashSet<>();

        FaultyStore(Faults faults) {
            this(new MemoryBudgetStore(), faults);
        }

        private FaultyStore(MemoryBudgetStore real, Faults faults) {
            super(real);
            this.real = real;
            this.faults = faults;
        }

        @Override
        public boolean commitEvaluation(SnapshotRecord s, List<AlertRecord> alerts,
                                        List<io.ebm.core.incident.Incident> incidents, List<OutboxEntry> outbox) {
            return faults.around("store commitEvaluation", () -> {
                boolean ok = real.commitEvaluation(s, alerts, incidents, outbox);
                if (ok) {
                    outbox.forEach(e -> owed.add(e.id()));
                }
                return ok;
            });
        }

        @Override
        public boolean commitTarget(TargetRecord r, List<OutboxEntry> outbox) {
            return faults.around("store commitTarget", () -> {
                boolean ok = real.commitTarget(r, outbox);
                if (ok) {
                    outbox.forEach(e -> owed.add(e.id()));
                }
                return ok;
            });
        }

        @Override
        public boolean leaseOutbox(String id, Instant now, Instant until) {
            return faults.around("store leaseOutbox", () -> real.leaseOutbox(id, now, until));
        }

        @Override
        public void deliveredOutbox(String id) {
            faults.run("store deliveredOutbox", () -> real.deliveredOutbox(id));
        }

        @Override
        public void appendAudit(AuditEntry entry) {
            faults.run("store appendAudit", () -> real.appendAudit(entry));
        }
    }

    /** A pipeline service that keeps each stage's transition, behind the fault injector. */
    static final class FakePipelines implements Releases {
        final Faults faults;
        final Set<String> frozen = new HashSet<>();

        FakePipelines(Faults faults) {
            this.faults = faults;
        }

        @Override
        public void freeze(String pipeline, String stage, String reason) {
            faults.run("codepipeline DisableStageTransition", () -> frozen.add(pipeline + "/" + stage));
        }

        @Override
        public Optional<Boolean> isFrozen(String pipeline, String stage) {
            return faults.around("codepipeline GetPipelineState", () -> Optional.of(frozen.contains(pipeline + "/" + stage)));
        }

        @Override
        public void unfreeze(String pipeline, String stage) {
            faults.run("codepipeline EnableStageTransition", () -> frozen.remove(pipeline + "/" + stage));
        }

        @Override
        public void answerApproval(String pipeline, String stage, String action, String token, boolean approve,
                                   String summary) {
            faults.run("codepipeline PutApprovalResult", () -> { });
        }

        @Override
        public void answerJob(String jobId, boolean succeed, String summary) {
            faults.run("codepipeline PutJobResult", () -> { });
        }
    }

    /** Flags that start on (the owner's value), behind the fault injector. */
    static final class FakeFlags implements FeatureFlags {
        final Faults faults;
        final Map<String, Boolean> values = new HashMap<>();

        FakeFlags(Faults faults) {
            this.faults = faults;
        }

        @Override
        public Result set(String flag, boolean enabled, String reason) {
            return faults.around("appconfig set " + flag, () -> {
                Boolean was = values.put(flag, enabled);
                return new Result(was == null || was != enabled, "v", true);
            });
        }

        @Override
        public Optional<Boolean> get(String flag) {
            return faults.around("appconfig get " + flag, () -> Optional.of(values.getOrDefault(flag, true)));
        }
    }

    /** What every seed adds up to. */
    static final class Tally {
        long ticks;
        long faults;
        long checks;
        long duplicates;
        long freezes;
        final List<String> violations = new ArrayList<>();
    }

    static SloDefinitions definitions() {
        return OpenSloLoader.load(Path.of("../../events/slos"));
    }

    static Policy policy() {
        return PolicyLoader.load(Path.of("../../events/policies/default-policy.yaml"));
    }

    /** Two days of one-minute counts per data key: a small error rate, and a few seeded incidents. */
    static Map<String, long[][]> traffic(Set<String> keys, long seed) {
        Random r = new Random(seed * 31 + 7);
        int minutes = DAYS * 1440;
        Map<String, long[][]> out = new TreeMap<>();
        for (String key : keys) {
            long[][] m = new long[minutes][2];
            double[] errorRate = new double[minutes];
            java.util.Arrays.fill(errorRate, 0.0002);
            for (int i = 0; i < 3; i++) {
                int at = r.nextInt(minutes - 200);
                int length = 20 + r.nextInt(160);
                double rate = r.nextBoolean() ? 0.02 + r.nextDouble() * 0.08 : 0.002 + r.nextDouble() * 0.004;
                for (int t = at; t < at + length; t++) {
                    errorRate[t] = rate;
                }
            }
            for (int t = 0; t < minutes; t++) {
                long total = 800 + r.nextInt(400);
                long bad = Math.min(total, Math.round(total * errorRate[t] + r.nextGaussian() * Math.sqrt(total * errorRate[t])));
                m[t][0] = total - Math.max(0, bad);
                m[t][1] = total;
            }
            out.put(key, m);
        }
        return out;
    }

    @Test
    void theLoopHoldsItsGuaranteesUnderFaultsOnEverySeed() {
        SloDefinitions definitions = definitions();
        Policy policy = policy();
        List<Slo> slos = definitions.slos();
        Set<String> keys = new Evaluation(definitions, policy).dataKeys();
        Tally tally = new Tally();
        for (long seed = 1; seed <= SEEDS; seed++) {
            simulate(seed, slos, policy, keys, tally);
        }
        System.out.printf("decision-loop simulation: %d seeds at a fault rate of %.2f, %d ticks, %d faults injected, %d invariants checked, "
                        + "%d duplicate deliveries (each after a fault), %d freezes, %d violations%n", SEEDS, FAULT_RATE, tally.ticks,
                tally.faults, tally.checks, tally.duplicates, tally.freezes, tally.violations.size());
        assertThat(tally.violations).as("violations").isEmpty();
        assertThat(tally.faults).as("faults injected").isGreaterThan(SEEDS * 50L);
        assertThat(tally.freezes).as("freezes seen: the traffic must exercise the policy").isGreaterThan(SEEDS);
    }

    private static void simulate(long seed, List<Slo> slos, Policy policy, Set<String> keys, Tally tally) {
        Faults faults = new Faults(seed, FAULT_RATE);
        Random chaos = new Random(seed ^ 0x5DEECE66DL);
        FaultyStore store = new FaultyStore(faults);
        SettableClock clock = new SettableClock(START);
        FakePipelines pipelines = new FakePipelines(faults);
        FakeFlags flags = new FakeFlags(faults);
        Map<String, Integer> delivered = new HashMap<>();
        // a grouped notice carries the key of each notice it joins; receivers drop repeats by any of them
        AlertNotifier sns = n -> faults.run("sns Publish", () -> {
            String members = n.attributes().get("members");
            for (String key : members == null ? List.of(n.noticeKey()) : List.of(members.split(" "))) {
                delivered.merge(key, 1, Integer::sum);
            }
        });
        StatusEvents events = c -> faults.run("eventbridge PutEvents", () -> delivered.merge("status#" + c.slo() + "#"
                + c.snapshotVersion(), 1, Integer::sum));
        Calculator.Options options = new Calculator.Options(EvaluationSettings.DEFAULTS, AlertTier.WORKBOOK_DEFAULTS,
                null, 10, 1000);
        Calculator warm = new Calculator(store, sns, events, options, line -> { }, clock);
        PolicyEnforcer enforcer = new PolicyEnforcer(store, pipelines, backend -> flags, sns, line -> { }, clock,
                TICK.multipliedBy(2));
        Map<String, long[][]> traffic = traffic(keys, seed);
        Map<String, Instant> newest = new HashMap<>();
        Map<String, Long> versions = new HashMap<>();
        int stallFrom = 200 + chaos.nextInt(200);
        int overrideAt = 100 + chaos.nextInt(300);
        Instant lastCalculated = START;
        boolean wasFrozen = false;
        int ticks = DAYS * 1440 / (int) TICK.toMinutes();
        for (int tick = 1; tick <= ticks; tick++) {
            Instant at = START.plus(TICK.multipliedBy(tick));
            clock.set(at);
            int base = (tick - 1) * (int) TICK.toMinutes();
            for (Map.Entry<String, long[][]> series : traffic.entrySet()) {
                NavigableMap<Long, MinuteCounts> m = new TreeMap<>();
                for (int t = base; t < base + TICK.toMinutes(); t++) {
                    m.put(START.getEpochSecond() / 60 + t, new MinuteCounts(series.getValue()[t][0], series.getValue()[t][1]));
                }
                store.upsertCounts(series.getKey(), m);
            }
            boolean stalled = tick >= stallFrom && tick < stallFrom + 12; // an hour without a calculator
            if (!stalled) {
                Calculator calc = chaos.nextInt(10) == 0 ? new Calculator(store, sns, events, options, line -> { }, clock)
                        : warm; // now and then a cold container
                survive(() -> calc.run(slos, at, policy));
                lastCalculated = at;
                if (chaos.nextInt(8) == 0) {
                    survive(() -> calc.run(slos, at, policy)); // the same run delivered twice
                }
                if (chaos.nextInt(8) == 0 && tick > 6) {
                    Calculator late = new Calculator(store, sns, events, options, line -> { }, clock);
                    survive(() -> late.run(slos, at.minus(Duration.ofMinutes(30)), policy)); // a stale shard
                }
            }
            if (tick == overrideAt) {
                new Overrides(store.real).create("checkout-api", "Production", at.plus(Duration.ofHours(2)),
                        "hotfix", "sim@example.com", at, policy.release().overrideMaxDuration());
            }
            survive(() -> enforcer.reconcile("tick", slos, policy));
            if (chaos.nextInt(6) == 0) {
                SettableClock earlier = new SettableClock(at.minus(Duration.ofMinutes(10)));
                PolicyEnforcer slow = new PolicyEnforcer(store, pipelines, backend -> flags, sns, line -> { }, earlier,
                        TICK.multipliedBy(2));
                survive(() -> slow.reconcile("late", slos, policy)); // started earlier, finishes last
            }
            // the guarantee: within one reconcile, the world equals the decisions
            faults.enabled = false;
            survive(() -> enforcer.reconcile("check", slos, policy));
            check(seed, tick, at, slos, policy, store, enforcer, pipelines, flags, newest, versions, lastCalculated, tally);
            faults.enabled = true;
            boolean frozen = pipelines.frozen.contains("checkout-pipeline/Production");
            if (frozen && !wasFrozen) {
                tally.freezes++;
            }
            wasFrozen = frozen;
            tally.ticks++;
        }
        // drain: a clean run after every lease has run out delivers whatever is owed
        faults.enabled = false;
        clock.set(clock.instant().plus(Duration.ofMinutes(10)));
        warm.run(slos, clock.instant(), policy);
        enforcer.reconcile("drain", slos, policy);
        tally.faults += faults.injected;
        Set<String> missing = new HashSet<>();
        for (String id : store.owed) {
            if (!delivered.containsKey(id)) {
                missing.add(id);
            }
        }
        tally.checks++;
        if (!missing.isEmpty()) {
            tally.violations.add("seed " + seed + ": announcements committed and never delivered: " + missing);
        }
        if (!store.pendingOutbox().isEmpty()) {
            tally.violations.add("seed " + seed + ": outbox not drained: " + store.pendingOutbox().size());
        }
        // one incident at a time per SLO: each resolved before the next opened, only the newest may be open
        for (Slo slo : slos) {
            List<io.ebm.core.incident.Incident> incidents = store.incidents(slo.name(), START,
                    clock.instant().plusSeconds(60));
            tally.checks++;
            for (int i = 0; i + 1 < incidents.size(); i++) {
                io.ebm.core.incident.Incident a = incidents.get(i);
                io.ebm.core.incident.Incident b = incidents.get(i + 1);
                if (a.kind() == b.kind() && (a.resolvedAt() == null || a.resolvedAt().isAfter(b.openedAt()))) {
                    tally.violations.add("seed " + seed + ": " + slo.name() + ": incident " + b.id()
                            + " opened while " + a.id() + " was open");
                }
            }
        }
        long duplicates = delivered.values().stream().mapToLong(n -> n - 1).sum();
        tally.duplicates += duplicates;
        tally.checks++;
        if (duplicates > faults.afterSuccess) {
            tally.violations.add("seed " + seed + ": " + duplicates + " duplicate deliveries but only "
                    + faults.afterSuccess + " faults after a success");
        }
    }

    /** A run that a fault killed or failed is over; the next one must make up for it. */
    private static void survive(Runnable run) {
        try {
            run.run();
        } catch (Killed | IllegalStateException dead) {
            // the invocation died here
        }
    }

    private static void check(long seed, int tick, Instant at, List<Slo> slos, Policy policy, FaultyStore store,
                              PolicyEnforcer enforcer, FakePipelines pipelines, FakeFlags flags,
                              Map<String, Instant> newest, Map<String, Long> versions, Instant lastCalculated,
                              Tally tally) {
        String where = "seed " + seed + " tick " + tick + " (" + at + "): ";
        for (PolicyEnforcer.ManagedStage st : enforcer.managedStages(slos, policy)) {
            boolean deny = enforcer.shouldBeFrozen(st, slos, policy);
            boolean frozen = pipelines.frozen.contains(st.pipeline() + "/" + st.stage());
            tally.checks++;
            if (frozen != deny) {
                tally.violations.add(where + st.pipeline() + "/" + st.stage() + " frozen=" + frozen + " but the gate says "
                        + (deny ? "DENY" : "ALLOW") + " for " + st.services());
            }
        }
        List<Snapshot> snapshots = enforcer.snapshots(slos, policy);
        for (Decision d : PolicyEngine.decide(snapshots, policy, List.of(), at)) {
            if (d.action() instanceof Action.SetFeatureFlag f) {
                tally.checks++;
                if (flags.values.getOrDefault(f.flag(), true) != f.enabled()) {
                    tally.violations.add(where + "rule " + d.rule() + " holds but flag " + f.flag() + " is "
                            + flags.values.getOrDefault(f.flag(), true));
                }
            }
        }
        for (Slo slo : slos) {
            for (var spec : io.ebm.core.budget.BudgetSpec.of(slo, policy.tiers())) {
                Optional<SnapshotRecord> latest = store.latestSnapshot(spec.name());
                if (latest.isEmpty()) {
                    continue;
                }
                tally.checks++;
                Instant before = newest.put(spec.name(), latest.get().evaluatedAt());
                if (before != null && latest.get().evaluatedAt().isBefore(before)) {
                    tally.violations.add(where + spec.name() + " moved back from " + before + " to "
                            + latest.get().evaluatedAt());
                }
                Long v = versions.put(spec.name(), latest.get().version());
                if (v != null && latest.get().version() < v) {
                    tally.violations.add(where + spec.name() + " version went back");
                }
            }
        }
        if (Duration.between(lastCalculated, at).compareTo(TICK.multipliedBy(2)) > 0
                && policy.onNoData() == Policy.NoData.FAIL_CLOSED) {
            for (String service : Set.of("checkout-api", "payments", "search", "checkout-journey")) {
                tally.checks++;
                GateDecision gate = PolicyEngine.gate(service, "Production", snapshots, policy, List.of(), at);
                if (gate.verdict() != GateDecision.Verdict.DENY) {
                    tally.violations.add(where + "the calculator stalled since " + lastCalculated + " but " + service
                            + " is allowed: " + gate.reasons());
                }
            }
        }
    }

    @Test
    void theSimulationCatchesABrokenLoop() {
        // the check itself must be able to fail: a pipeline frozen behind the reconciler's back is a violation
        SloDefinitions definitions = definitions();
        Policy policy = policy();
        Faults none = new Faults(1, 0);
        FaultyStore store = new FaultyStore(none);
        FakePipelines pipelines = new FakePipelines(none);
        PolicyEnforcer enforcer = new PolicyEnforcer(store, pipelines, b -> new FakeFlags(none), n -> { }, line -> { },
                Clock.fixed(START, ZoneOffset.UTC), TICK);
        for (Snapshot s : new Evaluation(definitions, policy).snapshots(START)) {
            store.putSnapshot(SnapshotRecord.of(s, 1));
        }
        // no data under failClosed: the gate denies, and nobody froze the pipeline
        Tally tally = new Tally();
        check(0, 0, START, definitions.slos(), policy, store, enforcer, pipelines, new FakeFlags(none), new HashMap<>(),
                new HashMap<>(), START, tally);
        assertThat(tally.violations).singleElement().asString()
                .contains("checkout-pipeline/Production frozen=false but the gate says DENY");
    }
}
