package io.ebm.engine.policy;

import io.ebm.core.budget.Snapshot;
import io.ebm.core.policy.Action;
import io.ebm.core.policy.Decision;
import io.ebm.core.policy.GateDecision;
import io.ebm.core.policy.Policy;
import io.ebm.core.policy.PolicyEngine;
import io.ebm.core.policy.ReleaseOverride;
import io.ebm.core.policy.Rule;
import io.ebm.core.port.AlertNotice;
import io.ebm.core.port.AlertNotifier;
import io.ebm.core.port.FeatureFlags;
import io.ebm.core.port.Releases;
import io.ebm.core.port.StructuredLog;
import io.ebm.core.slo.Slo;
import io.ebm.core.store.AuditEntry;
import io.ebm.core.store.BudgetStore;
import io.ebm.core.store.OutboxEntry;
import io.ebm.core.store.TargetRecord;
import io.ebm.engine.LatestSnapshots;
import io.ebm.engine.outbox.Outbox;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Carries the error-budget policy out, level-triggered. {@link #reconcile} computes from the latest facts (fresh
 * snapshots, overrides in force, the policy) the desired state of everything the policy manages, each with its
 * reasons: every pipeline stage transition a rule freezes, every feature flag a rule sets, every rule's notice for
 * each budget. It compares that with what it last decided (the target records in the store) and with the real
 * state (read back from the pipeline and the flag store), and changes only what differs. One audit entry per
 * real change. Status events, overrides and the schedule only make it run sooner; none is the source of truth.
 *
 * <ul>
 *   <li>A freeze or a forced flag is lifted only once the gate has allowed (no rule holds) for
 *   {@code liftAfter}: a budget hovering at a threshold does not flap a pipeline.</li>
 *   <li>{@code setFeatureFlag} forces its value while a rule holds; when none holds any more the value the flag had
 *   before is restored, once, and the owner has the flag back.</li>
 *   <li>A notice goes out when its rule starts to hold for a budget, through the outbox (never lost), not on every
 *   run.</li>
 *   <li>Time only moves forward: a reconcile that started before the stored decision changes nothing for that
 *   target.</li>
 * </ul>
 *
 * <p>Approvals and invoke-action jobs are answered from the same fresh gate; answering twice is harmless.
 */
public final class PolicyEnforcer {

    /** What one reconcile did, and the pipeline stages it managed. */
    public record Outcome(List<String> done, List<String> skipped, List<String> failed, List<ManagedStage> stages,
                          List<Snapshot> snapshots) {
        public Outcome {
            done = List.copyOf(done);
            skipped = List.copyOf(skipped);
            failed = List.copyOf(failed);
            stages = List.copyOf(stages);
            snapshots = List.copyOf(snapshots);
        }
    }

    /** The key prefix of rule notices' targets, one per rule, action and budget. */
    private static final String RULE_TARGETS = "rule#";

    /** How often a target is tried when another reconcile writes it at the same moment. */
    private static final int ATTEMPTS = 3;

    private final BudgetStore store;
    private final Overrides storedOverrides;
    private final Releases releases;
    private final Function<Policy.FlagBackend, FeatureFlags> flags;
    private final Outbox notices;
    private final StructuredLog log;
    private final Clock clock;
    private final Duration staleDefault;

    /**
     * {@code staleDefault}: a snapshot older than this is NO_DATA when the policy names no {@code staleAfter}
     * (twice the calculator's schedule).
     */
    public PolicyEnforcer(BudgetStore store, Releases releases, Function<Policy.FlagBackend, FeatureFlags> flags,
                          AlertNotifier notify, StructuredLog log, Clock clock, Duration staleDefault) {
        this.store = store;
        this.storedOverrides = new Overrides(store);
        this.releases = releases;
        this.flags = flags;
        this.notices = new Outbox(store, notify, change -> {
            throw new IllegalStateException("the policy sends no status events");
        }, clock);
        this.log = log;
        this.clock = clock;
        this.staleDefault = staleDefault;
    }

    /** The latest snapshot of every budget of {@code slos}, stale ones as NO_DATA. */
    public List<Snapshot> snapshots(List<Slo> slos, Policy policy) {
        return LatestSnapshots.of(store, slos, policy, clock.instant(), staleDefault);
    }

    private List<ReleaseOverride> overrides(List<Snapshot> snapshots, Policy policy, Set<String> moreServices) {
        Set<String> services = new LinkedHashSet<>(moreServices);
        snapshots.forEach(s -> services.add(s.service()));
        return storedOverrides.weighed(policy, services);
    }

    // ---------------------------------------------------------------- reconcile

    private record StageTarget(String service, String stage, String pipeline) {
        String key() {
            return "stage#" + pipeline + "#" + stage;
        }

        // written out: the record's generated pair runs through method handles, which C1 calls rather than
        // inlines, and every reconcile hashes each budget's target into a set
        @Override
        public boolean equals(Object o) {
            return o instanceof StageTarget t && Objects.equals(service, t.service) && Objects.equals(stage, t.stage)
                    && Objects.equals(pipeline, t.pipeline);
        }

        @Override
        public int hashCode() {
            return Objects.hash(service, stage, pipeline);
        }
    }

    /** Brings every stage transition, forced flag and rule notice in line with the latest facts. */
    public Outcome reconcile(String trigger, List<Slo> slos, Policy policy) {
        Instant now = clock.instant();
        List<Snapshot> snapshots = snapshots(slos, policy);
        Set<StageTarget> stages = stageTargets(policy, snapshots);
        Set<String> named = new LinkedHashSet<>();
        stages.forEach(t -> named.add(t.service()));
        List<ReleaseOverride> overrides = overrides(snapshots, policy, named);
        List<Decision> decisions = PolicyEngine.decide(snapshots, policy, overrides, now);
        List<String> done = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        String actor = "policy-engine (" + trigger + ")";
        for (List<StageTarget> shared : byStage(stages).values()) {
            // one transition, however many services a rule ties to it: frozen while any of their gates denies
            boolean deny = false;
            boolean overridden = false;
            for (StageTarget st : shared) {
                GateDecision g = PolicyEngine.gateVerdict(st.service(), st.stage(), snapshots, policy, overrides, now);
                deny |= g.verdict() == GateDecision.Verdict.DENY;
                overridden |= !g.activeOverrides().isEmpty();
            }
            boolean denies = deny;
            // the gates' reasons are worded only for a change: most reconciles change nothing
            Supplier<String> why = () -> shared.stream()
                    .map(st -> PolicyEngine.gate(st.service(), st.stage(), snapshots, policy, overrides, now))
                    .filter(g -> !denies || g.verdict() == GateDecision.Verdict.DENY)
                    .map(g -> String.join("; ", g.reasons())).distinct().reduce((a, b) -> a + "; " + b).orElse("");
            // an override lets its release through now: a hotfix does not wait for the hold
            Duration hold = overridden ? Duration.ZERO : policy.release().liftAfter();
            StageTarget t = shared.get(0);
            guarded(t.key(), failed, () -> reconcileStage(t, denies, why, hold, now, actor, done, skipped));
        }
        if (policy.flags() != null) {
            for (Map.Entry<String, List<Decision>> f : flagDecisions(policy, decisions).entrySet()) {
                guarded("flag#" + f.getKey(), failed, () -> reconcileFlag(f.getKey(), f.getValue(), policy, now, actor,
                        done, skipped));
            }
        } else if (decisions.stream().anyMatch(d -> d.action() instanceof Action.SetFeatureFlag)) {
            failed.add("policy " + policy.name() + " sets feature flags but names no featureFlags backend");
        }
        // one read for all rule targets: only a rule that starts or stops holding for a budget needs a write
        Map<String, TargetRecord> listed = new LinkedHashMap<>();
        store.targets(RULE_TARGETS).forEach(r -> listed.put(r.key(), r));
        for (Map.Entry<String, Notice> n : noticeChanges(policy, snapshots, decisions, listed).entrySet()) {
            TargetRecord known = listed.getOrDefault(n.getKey(), TargetRecord.none(n.getKey(), n.getValue().service()));
            guarded(n.getKey(), failed, () -> reconcileNotice(n.getKey(), n.getValue(), known, now, actor, done,
                    skipped));
        }
        Outbox.Delivery delivery = notices.deliver(Set.of(OutboxEntry.NOTICE));
        failed.addAll(delivery.failures());
        Outcome outcome = new Outcome(done, skipped, failed, managed(stages), snapshots);
        log.info("policy reconciled", Map.of("trigger", trigger, "stages", stages.size(), "done", done,
                "failed", failed, "noticesDelivered", delivery.notices()));
        log.metrics("ErrorBudgetManager", Map.of("Function", "policy-engine"),
                Map.of("Changes", done.size(), "Errors", failed.size()), now);
        return outcome;
    }

    /** Runs one target's reconcile; a failure is reported, and the next reconcile tries again. */
    private void guarded(String key, List<String> failed, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            failed.add(key + ": " + e.getMessage());
            log.error("reconcile of a target failed; the next run tries again", Map.of("target", key,
                    "reason", String.valueOf(e.getMessage())));
        }
    }

    /**
     * The desired state under hysteresis: engaged while {@code want}; once {@code want} is false, engaged until it
     * has stayed false for {@code liftAfter}.
     */
    private record Desired(boolean engaged, Instant allowSince) {
    }

    private static Desired desired(boolean want, TargetRecord record, Instant now, Duration liftAfter) {
        if (want) {
            return new Desired(true, null);
        }
        if (!record.engaged()) {
            return new Desired(false, null);
        }
        Instant since = record.allowSince() != null ? record.allowSince() : now;
        return Duration.between(since, now).compareTo(liftAfter) >= 0 ? new Desired(false, null)
                : new Desired(true, since);
    }

    /** {@code words}, worked out the first time they are asked for and kept. */
    private static Supplier<String> once(Supplier<String> words) {
        String[] kept = new String[1];
        return () -> {
            if (kept[0] == null) {
                kept[0] = words.get();
            }
            return kept[0];
        };
    }

    private static String held(Duration liftAfter, Instant allowSince) {
        return "held frozen until the gate has allowed for " + liftAfter.toMinutes() + " min (it allows since "
                + allowSince + ")";
    }

    /** The stored record, unless a reconcile that started later decided on it already. */
    private Optional<TargetRecord> current(String key, String service, Instant now) {
        TargetRecord r = store.target(key).orElse(TargetRecord.none(key, service));
        return r.decidedAt() != null && r.decidedAt().isAfter(now) ? Optional.empty() : Optional.of(r);
    }

    private void reconcileStage(StageTarget t, boolean deny, Supplier<String> whyWorded, Duration liftAfter,
                                Instant now, String actor, List<String> done, List<String> skipped) {
        Supplier<String> why = once(whyWorded);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<TargetRecord> read = current(t.key(), t.service(), now);
            if (read.isEmpty()) {
                skipped.add(t.key() + ": decided by a newer reconcile");
                return;
            }
            TargetRecord record = read.get();
            Desired want = desired(deny, record, now, liftAfter);
            Supplier<String> reason = () -> want.engaged() && !deny ? held(liftAfter, want.allowSince()) + ": "
                    + why.get() : why.get();
            if (want.engaged() != record.engaged() || !Objects.equals(want.allowSince(), record.allowSince())) {
                if (!store.commitTarget(record.next(want.engaged(), null, want.allowSince(), now, reason.get()),
                        List.of())) {
                    continue; // another reconcile wrote it: read again
                }
            }
            Optional<Boolean> real = releases.isFrozen(t.pipeline(), t.stage());
            if (real.isPresent() && real.get() == want.engaged()) {
                return; // nothing differs
            }
            String what = (want.engaged() ? "freeze" : "unfreeze") + " pipeline " + t.pipeline() + " stage " + t.stage();
            if (want.engaged()) {
                releases.freeze(t.pipeline(), t.stage(), "Error budget policy: " + why.get());
            } else {
                releases.unfreeze(t.pipeline(), t.stage());
            }
            audit(t.key(), t.service(), now, actor, what, reason.get());
            done.add(what);
            return;
        }
        skipped.add(t.key() + ": written by other reconciles " + ATTEMPTS + " times");
    }

    private void reconcileFlag(String flag, List<Decision> holding, Policy policy, Instant now, String actor,
                               List<String> done, List<String> skipped) {
        String key = "flag#" + flag;
        String service = holding.isEmpty() ? null : holding.get(0).service();
        FeatureFlags backend = flags.apply(policy.flags());
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<TargetRecord> read = current(key, service, now);
            if (read.isEmpty()) {
                skipped.add(key + ": decided by a newer reconcile");
                return;
            }
            TargetRecord record = read.get();
            Desired want = desired(!holding.isEmpty(), record, now, policy.release().liftAfter());
            Optional<Boolean> real = backend.get(flag);
            if (want.engaged()) {
                Decision first = holding.isEmpty() ? null : holding.get(0);
                String why = first != null ? "rule " + first.rule() + ": " + String.join("; ", first.reasons())
                        : "no rule sets it since " + want.allowSince() + "; restored after "
                                + policy.release().liftAfter().toMinutes() + " min";
                Boolean owner = record.engaged() ? record.ownerValue() : real.orElse(null);
                if (!record.engaged() || !Objects.equals(want.allowSince(), record.allowSince())) {
                    if (!store.commitTarget(record.next(true, owner, want.allowSince(), now, why), List.of())) {
                        continue;
                    }
                }
                boolean forced = first != null && ((Action.SetFeatureFlag) first.action()).enabled();
                if (first != null && (real.isEmpty() || real.get() != forced)) {
                    backend.set(flag, forced, "Error budget policy " + why);
                    audit(key, record.service() != null ? record.service() : service, now, actor,
                            "set flag " + flag + " to " + forced, why);
                    done.add("set flag " + flag + " to " + forced);
                }
                return; // while waiting to lift, the forced value stays as it is
            }
            if (!record.engaged()) {
                return; // not the policy's: the owner has the flag
            }
            // lift: give the owner's value back first, then say the policy let go; a failure retries next run
            Boolean owner = record.ownerValue();
            String why = "no rule sets it any more; restoring its value from before the policy forced it";
            if (owner != null && (real.isEmpty() || real.get() != owner.booleanValue())) {
                backend.set(flag, owner, "Error budget policy: " + why);
                audit(key, record.service(), now, actor, "restore flag " + flag + " to " + owner, why);
                done.add("restore flag " + flag + " to " + owner);
            }
            if (store.commitTarget(record.next(false, null, null, now, why), List.of())) {
                return;
            }
        }
        skipped.add(key + ": written by other reconciles " + ATTEMPTS + " times");
    }

    /** A rule's notice for one budget: whether the rule holds for it now, and what to say when it starts. */
    private record Notice(String service, String budget, Decision holding, Action.Notify action) {
    }

    private void reconcileNotice(String key, Notice n, TargetRecord listed, Instant now, String actor,
                                 List<String> done, List<String> skipped) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<TargetRecord> read = attempt == 0 ? Optional.of(listed).filter(r -> r.decidedAt() == null
                    || !r.decidedAt().isAfter(now)) : current(key, n.service(), now);
            if (read.isEmpty()) {
                return;
            }
            TargetRecord record = read.get();
            boolean holds = n.holding() != null;
            if (holds == record.engaged()) {
                return;
            }
            List<OutboxEntry> send = new ArrayList<>();
            if (holds && n.action() != null) {
                String id = key + "#" + (record.version() + 1);
                send.add(OutboxEntry.of(id, OutboxEntry.NOTICE, n.budget(), now,
                        notice(n.holding(), n.action(), id).toJson()));
            }
            String why = holds ? String.join("; ", n.holding().reasons()) : "the rule no longer holds";
            if (store.commitTarget(record.next(holds, null, null, now, why), send)) {
                if (holds) {
                    String what = n.holding().action().describe();
                    audit(key + "#" + (record.version() + 1), n.service(), now, actor, what, why);
                    done.add(what);
                }
                return;
            }
        }
        skipped.add(key + ": written by other reconciles " + ATTEMPTS + " times");
    }

    private static AlertNotice notice(Decision d, Action.Notify n, String dedupKey) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("severity", n.severity());
        attributes.put("kind", "policy");
        attributes.put("service", d.service());
        attributes.put("slo", d.budget());
        attributes.put("rule", d.rule());
        attributes.put("dedupKey", dedupKey);
        attributes.put("notice", dedupKey);
        String subject = "[POLICY] " + d.budget() + ": " + (n.message() == null ? d.rule() : n.message());
        return new AlertNotice(AlertNotice.subject(subject),
                d.action().describe() + "\n" + "because " + String.join("; ", d.reasons()) + "\n", attributes,
                List.of(n.target()), null);
    }

    private void audit(String key, String service, Instant now, String actor, String what, String why) {
        store.appendAudit(new AuditEntry(key + "@" + now.toEpochMilli(), service == null ? "-" : service, now, actor,
                what, why, 0));
    }

    /** The targets by pipeline stage: a rule without a service ties every service in its scope to the stage. */
    private static Map<String, List<StageTarget>> byStage(Set<StageTarget> stages) {
        Map<String, List<StageTarget>> out = new LinkedHashMap<>();
        stages.forEach(t -> out.computeIfAbsent(t.key(), k -> new ArrayList<>()).add(t));
        return out;
    }

    /** Every pipeline stage a rule's release action names, for each service it applies to. */
    private static Set<StageTarget> stageTargets(Policy policy, List<Snapshot> snapshots) {
        Set<StageTarget> out = new LinkedHashSet<>();
        for (Rule rule : policy.rules()) {
            for (Action a : rule.then()) {
                String pipeline = a instanceof Action.FreezeReleases f ? f.pipeline()
                        : a instanceof Action.AllowReleases al ? al.pipeline() : null;
                if (pipeline == null) {
                    continue;
                }
                String service = a instanceof Action.FreezeReleases f ? f.service() : ((Action.AllowReleases) a).service();
                String stage = a instanceof Action.FreezeReleases f ? f.stage() : ((Action.AllowReleases) a).stage();
                if (service != null) {
                    out.add(new StageTarget(service, stage, pipeline));
                    continue;
                }
                for (Snapshot s : snapshots) {
                    if (rule.scope().matches(s.service(), s.name())) {
                        out.add(new StageTarget(s.service(), stage, pipeline));
                    }
                }
            }
        }
        return out;
    }

    /** Every flag a rule sets, with the decisions that hold for it now (rule order: the first one's value wins). */
    private static Map<String, List<Decision>> flagDecisions(Policy policy, List<Decision> decisions) {
        Map<String, List<Decision>> out = new LinkedHashMap<>();
        for (Rule rule : policy.rules()) {
            for (Action a : rule.then()) {
                if (a instanceof Action.SetFeatureFlag f) {
                    out.putIfAbsent(f.flag(), new ArrayList<>());
                }
            }
        }
        for (Decision d : decisions) {
            if (d.action() instanceof Action.SetFeatureFlag f) {
                out.get(f.flag()).add(d);
            }
        }
        return out;
    }

    /**
     * Every (rule, budget) whose rule notifies or records reliability work and whose holding differs from its
     * listed target: the rule holds for the budget and the target is not engaged, or the other way round. In rule,
     * action and fleet order. A rule that holds for no budget and has no engaged target costs no key at all: a
     * reconcile every few minutes over a fleet is mostly that.
     */
    private static Map<String, Notice> noticeChanges(Policy policy, List<Snapshot> snapshots, List<Decision> decisions,
                                                     Map<String, TargetRecord> listed) {
        Map<String, Notice> out = new LinkedHashMap<>();
        // the first decision of each rule, action and budget
        Map<List<Object>, Map<String, Decision>> holding = new HashMap<>();
        for (Decision d : decisions) {
            if (d.action() instanceof Action.Notify || d.action() instanceof Action.RequireReliabilityWork) {
                holding.computeIfAbsent(List.of(d.rule(), d.action()), k -> new HashMap<>()).putIfAbsent(d.budget(), d);
            }
        }
        List<TargetRecord> engaged = listed.values().stream().filter(TargetRecord::engaged).toList();
        for (Rule rule : policy.rules()) {
            for (Action a : rule.then()) {
                if (!(a instanceof Action.Notify) && !(a instanceof Action.RequireReliabilityWork)) {
                    continue;
                }
                Map<String, Decision> holds = holding.getOrDefault(List.of(rule.name(), a), Map.of());
                String prefix = RULE_TARGETS + rule.name() + "#" + a.describe() + "#";
                Set<String> engagedFor = new HashSet<>();
                for (TargetRecord r : engaged) {
                    if (r.key().startsWith(prefix)) {
                        engagedFor.add(r.key().substring(prefix.length()));
                    }
                }
                if (holds.isEmpty() && engagedFor.isEmpty()) {
                    continue;
                }
                for (Snapshot s : snapshots) {
                    Decision d = holds.get(s.name());
                    if ((d != null) == engagedFor.contains(s.name()) || !rule.scope().matches(s.service(), s.name())) {
                        continue; // nothing starts or stops
                    }
                    out.put(prefix + s.name(), new Notice(s.service(), s.name(), d,
                            a instanceof Action.Notify n ? n : null));
                }
            }
        }
        return out;
    }

    /** A pipeline stage whose inbound transition the policy manages, and the services whose gates hold it. */
    public record ManagedStage(String pipeline, String stage, List<String> services) {
    }

    /** Every pipeline stage the policy's rules freeze, as {@link #reconcile} sees them now. */
    public List<ManagedStage> managedStages(List<Slo> slos, Policy policy) {
        return managed(stageTargets(policy, snapshots(slos, policy)));
    }

    private static List<ManagedStage> managed(Set<StageTarget> stages) {
        return byStage(stages).values().stream().map(ts -> new ManagedStage(ts.get(0).pipeline(), ts.get(0).stage(),
                ts.stream().map(StageTarget::service).toList())).toList();
    }

    /** What an approval of this pipeline stage is answered now: the gate, and the policy's hold after a freeze. */
    public GateDecision releaseGate(String pipeline, String service, String stage, List<Slo> slos, Policy policy) {
        return gate(pipeline, service, stage, slos, policy);
    }

    /**
     * Whether the transition into this managed stage should be frozen now, worked out from the facts (not from
     * what the reconciler recorded): a gate of one of its services denies, or, with no override in force, a freeze
     * is waiting out {@code liftAfter}.
     */
    public boolean shouldBeFrozen(ManagedStage stage, List<Slo> slos, Policy policy) {
        return shouldBeFrozen(List.of(stage), slos, policy).get(0);
    }

    /** {@link #shouldBeFrozen(ManagedStage, List, Policy)} for each of {@code stages}, from one read of the facts. */
    public List<Boolean> shouldBeFrozen(List<ManagedStage> stages, List<Slo> slos, Policy policy) {
        return frozenByGates(stages, snapshots(slos, policy), policy);
    }

    /**
     * {@link #shouldBeFrozen(ManagedStage, List, Policy)} for each stage of a reconcile just done, from the
     * snapshots it read: for a caller that checks every reconcile and has written nothing since.
     */
    public List<Boolean> shouldBeFrozen(Outcome reconciled, Policy policy) {
        return frozenByGates(reconciled.stages(), reconciled.snapshots(), policy);
    }

    private List<Boolean> frozenByGates(List<ManagedStage> stages, List<Snapshot> snapshots, Policy policy) {
        Instant now = clock.instant();
        Set<String> services = new LinkedHashSet<>();
        stages.forEach(st -> services.addAll(st.services()));
        List<ReleaseOverride> overrides = overrides(snapshots, policy, services);
        List<Boolean> out = new ArrayList<>(stages.size());
        for (ManagedStage stage : stages) {
            out.add(shouldBeFrozen(stage, snapshots, overrides, policy, now));
        }
        return out;
    }

    private boolean shouldBeFrozen(ManagedStage stage, List<Snapshot> snapshots, List<ReleaseOverride> overrides,
                                   Policy policy, Instant now) {
        boolean overridden = false;
        for (String service : stage.services()) {
            GateDecision g = PolicyEngine.gateVerdict(service, stage.stage(), snapshots, policy, overrides, now);
            if (g.verdict() == GateDecision.Verdict.DENY) {
                return true;
            }
            overridden |= !g.activeOverrides().isEmpty();
        }
        if (overridden) {
            return false;
        }
        return store.target(new StageTarget(null, stage.stage(), stage.pipeline()).key())
                .filter(r -> r.engaged() && r.allowSince() != null)
                .map(r -> Duration.between(r.allowSince(), now).compareTo(policy.release().liftAfter()) < 0)
                .orElse(false);
    }

    // ---------------------------------------------------------------- gates asked by pipelines

    /** A manual approval asks whether {@code service} may release at {@code stage}: answer it from a fresh gate. */
    public GateDecision onApproval(String pipeline, String stage, String action, String token, String service,
                                   List<Slo> slos, Policy policy) {
        GateDecision gate = gate(pipeline, service, stage, slos, policy);
        boolean approve = gate.verdict() == GateDecision.Verdict.ALLOW;
        String summary = (approve ? "Approved" : "Rejected") + " by the error budget policy: "
                + String.join("; ", gate.reasons());
        releases.answerApproval(pipeline, stage, action, token, approve, summary);
        store.appendAudit(new AuditEntry("approval#" + token, service, clock.instant(),
                "codepipeline approval " + pipeline + "/" + stage + "/" + action,
                (approve ? "approve" : "reject") + " " + pipeline + " " + stage, summary, 0));
        return gate;
    }

    /** A CodePipeline invoke action asks the same question: succeed or fail its job. */
    public GateDecision onJob(String jobId, String service, String stage, List<Slo> slos, Policy policy) {
        GateDecision gate = gate(null, service, stage, slos, policy);
        boolean allow = gate.verdict() == GateDecision.Verdict.ALLOW;
        String summary = (allow ? "Allowed" : "Denied") + " by the error budget policy: " + String.join("; ", gate.reasons());
        releases.answerJob(jobId, allow, summary);
        store.appendAudit(new AuditEntry("job#" + jobId, service, clock.instant(), "codepipeline job " + jobId,
                (allow ? "succeed" : "fail") + " job " + jobId, summary, 0));
        return gate;
    }

    /**
     * The gate, and the policy's own freeze on top of it: while the policy holds this pipeline stage frozen (a
     * freeze waiting out {@code liftAfter}, or another service's budget tied to the same stage), its approvals
     * are rejected too, so that the transition and the answers agree. An override in force lets them through.
     */
    private GateDecision gate(String pipeline, String service, String stage, List<Slo> slos, Policy policy) {
        List<Snapshot> snapshots = snapshots(slos, policy);
        GateDecision g = PolicyEngine.gate(service, stage, snapshots, policy,
                overrides(snapshots, policy, Set.of(service)), clock.instant());
        if (g.verdict() == GateDecision.Verdict.DENY || pipeline == null || stage == null
                || !g.activeOverrides().isEmpty()) {
            return g;
        }
        Optional<TargetRecord> frozen = store.target(new StageTarget(service, stage, pipeline).key())
                .filter(TargetRecord::engaged);
        if (frozen.isEmpty()) {
            return g;
        }
        List<String> reasons = new ArrayList<>();
        reasons.add("the policy holds pipeline " + pipeline + " stage " + stage + " frozen: " + frozen.get().reason());
        reasons.addAll(g.reasons());
        return new GateDecision(service, stage, GateDecision.Verdict.DENY, reasons, g.activeOverrides());
    }
}
