package io.ebm.engine.policy;

import io.ebm.core.port.FeatureFlags;
import io.ebm.core.port.Releases;
import io.ebm.engine.LatestSnapshots;
import io.ebm.core.port.AlertNotice;
import io.ebm.core.port.AlertNotifier;
import io.ebm.core.port.StructuredLog;
import io.ebm.core.budget.Snapshot;
import io.ebm.core.policy.Action;
import io.ebm.core.policy.Decision;
import io.ebm.core.policy.GateDecision;
import io.ebm.core.policy.Policy;
import io.ebm.core.policy.PolicyEngine;
import io.ebm.core.policy.ReleaseOverride;
import io.ebm.core.slo.Slo;
import io.ebm.core.store.AuditEntry;
import io.ebm.core.store.BudgetStore;
import io.ebm.core.store.SnapshotRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Carries the error-budget policy out. Each action is claimed under an idempotency key (the event's id and the
 * action) before it runs, and recorded in the audit log after; a failed action gives its claim back, so the
 * redelivered event retries it, while actions already done are not done again.
 */
public final class PolicyEnforcer {

    /** How long an idempotency claim holds: longer than any redelivery. */
    static final Duration CLAIM_TTL = Duration.ofDays(7);

    /** What one event led to. */
    public record Outcome(List<String> done, List<String> skipped, List<String> failed) {
        public Outcome {
            done = List.copyOf(done);
            skipped = List.copyOf(skipped);
            failed = List.copyOf(failed);
        }
    }

    private final BudgetStore store;
    private final Overrides storedOverrides;
    private final Releases releases;
    private final Function<Policy.FlagBackend, FeatureFlags> flags;
    private final AlertNotifier notify;
    private final StructuredLog log;
    private final Clock clock;

    public PolicyEnforcer(BudgetStore store, Releases releases, Function<Policy.FlagBackend, FeatureFlags> flags,
                          AlertNotifier notify, StructuredLog log, Clock clock) {
        this.store = store;
        this.storedOverrides = new Overrides(store);
        this.releases = releases;
        this.flags = flags;
        this.notify = notify;
        this.log = log;
        this.clock = clock;
    }

    /** The latest stored snapshot of every budget of {@code slos}. */
    public List<Snapshot> snapshots(List<Slo> slos, Policy policy) {
        return LatestSnapshots.of(store, slos, policy);
    }

    /** All overrides of the services the snapshots name (expired ones too: the engine ignores those). */
    private List<ReleaseOverride> overrides(List<Snapshot> snapshots, Policy policy) {
        Set<String> services = new LinkedHashSet<>();
        snapshots.forEach(s -> services.add(s.service()));
        return storedOverrides.weighed(policy, services);
    }

    /**
     * A budget's status changed: do what the policy's rules ask for that budget (flags, notifications,
     * reliability work), and bring the CodePipeline freezes of its service in line with the gate.
     */
    public Outcome onStatusChange(String eventId, String budget, List<Slo> slos, Policy policy) {
        Instant now = clock.instant();
        List<Snapshot> snapshots = snapshots(slos, policy);
        Snapshot changed = snapshots.stream().filter(s -> s.name().equals(budget)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no stored snapshot for budget " + budget));
        long version = store.latestSnapshot(budget).map(SnapshotRecord::version).orElse(0L);
        List<ReleaseOverride> overrides = overrides(snapshots, policy);
        List<String> done = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        String actor = "policy-engine (status event " + eventId + ")";
        for (Decision d : PolicyEngine.decide(snapshots, policy, overrides, now)) {
            if (!d.budget().equals(budget) || d.action() instanceof Action.FreezeReleases
                    || d.action() instanceof Action.AllowReleases) {
                continue; // releases are settled below, per stage, by the gate
            }
            String key = eventId + "#" + d.rule() + "#" + d.action().describe();
            run(key, skipped, done, failed, () -> act(d, policy, changed), changed.service(), now, actor,
                    d.action().describe(), String.join("; ", d.reasons()), version);
        }
        for (ReleaseTarget t : releaseTargets(policy, changed)) {
            GateDecision gate = PolicyEngine.gate(t.service(), t.stage(), snapshots, policy, overrides, now);
            boolean deny = gate.verdict() == GateDecision.Verdict.DENY;
            String what = (deny ? "freeze" : "unfreeze") + " pipeline " + t.pipeline() + " stage " + t.stage();
            String why = String.join("; ", gate.reasons());
            String key = eventId + "#" + what;
            run(key, skipped, done, failed, () -> {
                if (deny) {
                    releases.freeze(t.pipeline(), t.stage(), "Error budget policy: " + why);
                } else {
                    releases.unfreeze(t.pipeline(), t.stage());
                }
            }, t.service(), now, actor, what, why, version);
        }
        Outcome outcome = new Outcome(done, skipped, failed);
        log.info("status change handled", Map.of("event", eventId, "slo", budget, "status",
                changed.status().name(), "done", done, "skipped", skipped, "failed", failed));
        return outcome;
    }

    /** A manual approval asks whether {@code service} may release at {@code stage}: answer it once. */
    public GateDecision onApproval(String pipeline, String stage, String action, String token, String service,
                                   List<Slo> slos, Policy policy) {
        Instant now = clock.instant();
        List<Snapshot> snapshots = snapshots(slos, policy);
        GateDecision gate = PolicyEngine.gate(service, stage, snapshots, policy, overrides(snapshots, policy), now);
        boolean approve = gate.verdict() == GateDecision.Verdict.ALLOW;
        String summary = (approve ? "Approved" : "Rejected") + " by the error budget policy: "
                + String.join("; ", gate.reasons());
        List<String> ignored = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        run("approval#" + token, ignored, ignored, failed,
                () -> releases.answerApproval(pipeline, stage, action, token, approve, summary),
                service, now, "codepipeline approval " + pipeline + "/" + stage + "/" + action,
                (approve ? "approve" : "reject") + " " + pipeline + " " + stage, summary, 0);
        if (!failed.isEmpty()) {
            throw new IllegalStateException(failed.get(0));
        }
        return gate;
    }

    /** A CodePipeline invoke action asks the same question: succeed or fail its job once. */
    public GateDecision onJob(String jobId, String service, String stage, List<Slo> slos, Policy policy) {
        Instant now = clock.instant();
        List<Snapshot> snapshots = snapshots(slos, policy);
        GateDecision gate = PolicyEngine.gate(service, stage, snapshots, policy, overrides(snapshots, policy), now);
        boolean allow = gate.verdict() == GateDecision.Verdict.ALLOW;
        String summary = (allow ? "Allowed" : "Denied") + " by the error budget policy: " + String.join("; ", gate.reasons());
        List<String> ignored = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        run("job#" + jobId, ignored, ignored, failed, () -> releases.answerJob(jobId, allow, summary), service, now,
                "codepipeline job " + jobId, (allow ? "succeed" : "fail") + " job " + jobId, summary, 0);
        if (!failed.isEmpty()) {
            throw new IllegalStateException(failed.get(0));
        }
        return gate;
    }

    private record ReleaseTarget(String service, String stage, String pipeline) {
    }

    /** The pipeline stages whose freeze the policy ties to the changed budget's service. */
    private static List<ReleaseTarget> releaseTargets(Policy policy, Snapshot changed) {
        Set<ReleaseTarget> out = new LinkedHashSet<>();
        for (var rule : policy.rules()) {
            if (!rule.scope().matches(changed.service(), changed.name())) {
                continue;
            }
            for (Action a : rule.then()) {
                if (a instanceof Action.FreezeReleases f && f.pipeline() != null) {
                    out.add(new ReleaseTarget(f.service() != null ? f.service() : changed.service(), f.stage(), f.pipeline()));
                } else if (a instanceof Action.AllowReleases al && al.pipeline() != null) {
                    out.add(new ReleaseTarget(al.service() != null ? al.service() : changed.service(), al.stage(),
                            al.pipeline()));
                }
            }
        }
        return List.copyOf(out);
    }

    private void act(Decision d, Policy policy, Snapshot s) {
        String reasons = String.join("; ", d.reasons());
        if (d.action() instanceof Action.SetFeatureFlag f) {
            if (policy.flags() == null) {
                throw new IllegalStateException("policy " + policy.name() + " sets flag " + f.flag()
                        + " but names no featureFlags backend");
            }
            FeatureFlags.Result r = flags.apply(policy.flags()).set(f.flag(), f.enabled(),
                    "Error budget policy rule " + d.rule() + ": " + reasons);
            log.info("feature flag set", Map.of("flag", f.flag(), "enabled", f.enabled(), "changed", r.changed(),
                    "version", r.version(), "deploymentStarted", r.deploymentStarted()));
        } else if (d.action() instanceof Action.Notify n) {
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("target", n.target());
            attributes.put("service", s.service());
            attributes.put("slo", s.name());
            attributes.put("rule", d.rule());
            String subject = "[POLICY] " + s.name() + ": " + (n.message() == null ? d.rule() : n.message());
            notify.publish(new AlertNotice(AlertNotice.subject(subject),
                    d.action().describe() + "\n" + "because " + reasons + "\n", attributes));
        }
        // RequireReliabilityWork is a decision on record: the audit entry is the action
    }

    /** Claim, run, audit; a failure gives the claim back so that the next delivery retries. */
    private void run(String key, List<String> skipped, List<String> done, List<String> failed, Runnable action,
                     String service, Instant now, String actor, String what, String why, long snapshotVersion) {
        Instant real = Instant.now(); // claims live in real time: they guard against redelivery
        if (!store.claim(key, real, real.plus(CLAIM_TTL))) {
            skipped.add(what);
            return;
        }
        try {
            action.run();
        } catch (RuntimeException e) {
            store.release(key);
            failed.add(what + ": " + e.getMessage());
            log.error("policy action failed; the next delivery retries it", Map.of("action", what,
                    "reason", String.valueOf(e.getMessage())));
            return;
        }
        store.appendAudit(new AuditEntry(key, service, now, actor, what, why, snapshotVersion));
        done.add(what);
    }
}
