package io.ebm.core.policy;

import io.ebm.core.budget.BudgetStatus;
import io.ebm.core.budget.Snapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** (snapshots, policy, overrides, now) → decisions and gate answers. Pure: no I/O, no clock of its own. */
public final class PolicyEngine {

    private PolicyEngine() {
    }

    /** Every action every rule asks for, in rule order then snapshot order. */
    public static List<Decision> decide(List<Snapshot> snapshots, Policy policy, List<ReleaseOverride> overrides,
                                        Instant now) {
        List<Decision> out = new ArrayList<>();
        for (Rule rule : policy.rules()) {
            for (Snapshot s : snapshots) {
                if (!rule.scope().matches(s.service(), s.name())) {
                    continue;
                }
                Optional<List<String>> reasons = rule.when().evaluate(s);
                if (reasons.isEmpty()) {
                    continue;
                }
                List<String> because = new ArrayList<>();
                for (String r : reasons.get()) {
                    because.add(s.name() + ": " + r);
                }
                for (Action a : rule.then()) {
                    String service = releaseService(a, s);
                    String overridden = null;
                    if (service != null) {
                        overridden = activeOverride(overrides, now, service, releaseStage(a))
                                .map(ReleaseOverride::describe).orElse(null);
                    }
                    out.add(new Decision(rule.name(), s.name(), s.service(), a, because, overridden));
                }
            }
        }
        return out;
    }

    /**
     * May {@code service} release at {@code stage} (null: any stage) now? For each SLO (of this service, or of
     * another one whose rule freezes this service) the first rule, in file order, that holds and names a release action for that stage decides; the gate denies if any
     * SLO's deciding rule freezes. An SLO without data that no rule decided follows the policy's onNoData.
     * An active override allows, and the reasons still say what it overrode.
     */
    public static GateDecision gate(String service, String stage, List<Snapshot> snapshots, Policy policy,
                                    List<ReleaseOverride> overrides, Instant now) {
        return gate(service, stage, snapshots, policy, overrides, now, true);
    }

    /**
     * {@link #gate}'s verdict and the overrides in force, without its reasons (an empty list): for a caller that
     * checks the gate every few minutes and words it only when something changes.
     */
    public static GateDecision gateVerdict(String service, String stage, List<Snapshot> snapshots, Policy policy,
                                           List<ReleaseOverride> overrides, Instant now) {
        return gate(service, stage, snapshots, policy, overrides, now, false);
    }

    /** {@code worded} false: the same verdict, its denials and notes counted but not written. */
    private static GateDecision gate(String service, String stage, List<Snapshot> snapshots, Policy policy,
                                     List<ReleaseOverride> overrides, Instant now, boolean worded) {
        List<String> denials = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int denied = 0;
        boolean anySlo = false;
        // another service's budget decides this gate only through a rule that names this service
        boolean named = namedByRule(service, policy);
        List<Rule> rules = policy.rules();
        // loops by index, not streams or iterators: this runs for every snapshot and rule at every reconcile
        for (int si = 0; si < snapshots.size(); si++) {
            Snapshot s = snapshots.get(si);
            boolean own = service.equals(s.service());
            anySlo |= own;
            if (!own && !named) {
                continue;
            }
            String decidedBy = null;
            for (int ri = 0; ri < rules.size(); ri++) {
                Rule rule = rules.get(ri);
                if (!rule.scope().matches(s.service(), s.name())) {
                    continue;
                }
                Action release = null;
                for (int ai = 0; ai < rule.then().size(); ai++) {
                    Action a = rule.then().get(ai);
                    if (service.equals(releaseService(a, s)) && stageApplies(releaseStage(a), stage)) {
                        release = a;
                        break;
                    }
                }
                if (release == null) {
                    continue;
                }
                if (!worded) {
                    if (!rule.when().holds(s)) {
                        continue;
                    }
                } else {
                    Optional<List<String>> reasons = rule.when().evaluate(s);
                    if (reasons.isEmpty()) {
                        continue;
                    }
                    String text = "rule " + rule.name() + " " + release.describe() + " because " + s.name() + ": "
                            + String.join("; ", reasons.get());
                    (release instanceof Action.FreezeReleases ? denials : notes).add(text);
                }
                denied += release instanceof Action.FreezeReleases ? 1 : 0;
                decidedBy = rule.name();
                break;
            }
            if (decidedBy == null && own) {
                boolean closed = s.status() == BudgetStatus.NO_DATA && policy.onNoData() == Policy.NoData.FAIL_CLOSED;
                denied += closed ? 1 : 0;
                if (!worded) {
                    continue;
                }
                if (s.status() == BudgetStatus.NO_DATA) {
                    String text = s.name() + " has no data (" + s.statusReason() + "); policy " + policy.name()
                            + " " + policy.onNoData().describe();
                    (closed ? denials : notes).add(text);
                } else {
                    notes.add(s.name() + " is " + s.status() + " (" + s.statusReason() + "); no rule freezes it");
                }
            }
        }
        if (!anySlo && !named) {
            String text = "no SLO is defined for service " + service + " and no rule names it; policy "
                    + policy.name() + " " + policy.release().onUnknownService().describe() + " for unknown services";
            boolean closed = policy.release().onUnknownService() == Policy.NoData.FAIL_CLOSED;
            denied += closed ? 1 : 0;
            (closed ? denials : notes).add(text);
        } else if (!anySlo) {
            notes.add("no SLO is defined for service " + service);
        }
        // a gate asked for no stage stands for every stage: only an override of every stage lifts it
        List<ReleaseOverride> active = overrides.isEmpty() ? List.of() : overrides.stream()
                .filter(o -> o.activeAt(now) && o.service().equals(service)
                        && (stage == null ? o.stage() == null : o.covers(service, stage)))
                .toList();
        if (!worded) {
            return new GateDecision(service, stage, denied > 0 && active.isEmpty() ? GateDecision.Verdict.DENY
                    : GateDecision.Verdict.ALLOW, List.of(), active);
        }
        List<String> reasons = new ArrayList<>();
        if (denials.isEmpty()) {
            reasons.addAll(notes);
            return new GateDecision(service, stage, GateDecision.Verdict.ALLOW, reasons, active);
        }
        if (!active.isEmpty()) {
            for (ReleaseOverride o : active) {
                reasons.add("allowed by " + o.describe());
            }
            for (String d : denials) {
                reasons.add("overridden: " + d);
            }
            return new GateDecision(service, stage, GateDecision.Verdict.ALLOW, reasons, active);
        }
        reasons.addAll(denials);
        return new GateDecision(service, stage, GateDecision.Verdict.DENY, reasons, active);
    }

    /** One gate per service the snapshots name, for any stage. */
    public static List<GateDecision> gates(List<Snapshot> snapshots, Policy policy, List<ReleaseOverride> overrides,
                                           Instant now) {
        Set<String> services = new LinkedHashSet<>();
        snapshots.forEach(s -> services.add(s.service()));
        return services.stream().map(svc -> gate(svc, null, snapshots, policy, overrides, now)).toList();
    }

    /** Whether a release action of some rule names {@code service} explicitly (a cross-service freeze). */
    private static boolean namedByRule(String service, Policy policy) {
        for (Rule rule : policy.rules()) {
            for (Action a : rule.then()) {
                if ((a instanceof Action.FreezeReleases f && service.equals(f.service()))
                        || (a instanceof Action.AllowReleases al && service.equals(al.service()))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Optional<ReleaseOverride> activeOverride(List<ReleaseOverride> overrides, Instant now,
                                                            String service, String stage) {
        return overrides.stream().filter(o -> o.activeAt(now) && o.covers(service, stage)).findFirst();
    }

    private static boolean stageApplies(String actionStage, String askedStage) {
        return actionStage == null || askedStage == null || actionStage.equals(askedStage);
    }

    private static String releaseService(Action a, Snapshot s) {
        if (a instanceof Action.FreezeReleases f) {
            return f.service() != null ? f.service() : s.service();
        }
        if (a instanceof Action.AllowReleases al) {
            return al.service() != null ? al.service() : s.service();
        }
        return null;
    }

    private static String releaseStage(Action a) {
        if (a instanceof Action.FreezeReleases f) {
            return f.stage();
        }
        if (a instanceof Action.AllowReleases al) {
            return al.stage();
        }
        return null;
    }
}
