package io.ebm.core.incident;

import io.ebm.core.alert.AlertRules;
import io.ebm.core.alert.AlertTier;
import io.ebm.core.alert.Comparison;
import io.ebm.core.budget.BudgetStatus;
import io.ebm.core.budget.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The alerting state of one SLO budget: each tier's standing, the open incident (if any), the open no-data
 * incident (if any), and when the last incident ended. {@link #step} moves it by one evaluation, as a pure
 * function; the calculator stores the result in the same write as the snapshot.
 *
 * <p>The rules, in one place: the tiers of an SLO form one incident. It opens when any tier fires (after its
 * {@code alertAfter}), its severity is the most urgent firing tier's, it escalates with one notice when a more
 * urgent tier joins, and it resolves once, when no tier counts any more. A firing tier keeps counting while both
 * windows burn above {@code threshold × (1 − margin)}, and for a hold after that (the tier's short window unless
 * the policy says otherwise); if its condition comes back within the hold the incident simply goes on. A lower
 * tier never notifies while the incident is open: only opening, escalating and resolving do. Missing data
 * neither fires nor resolves a tier (a silent service is not a healthy one); with {@code alertWhenNoData} it
 * opens a no-data incident of its own once it has lasted {@code noDataAfter} ({@code noDataSince}).
 */
public record AlertBook(String slo, List<TierState> tiers, Incident burn, Incident noData, Instant lastResolvedAt,
                        Instant noDataSince) {

    public AlertBook {
        tiers = List.copyOf(tiers);
    }

    public static AlertBook empty(String slo) {
        return new AlertBook(slo, List.of(), null, null, null, null);
    }

    /** What must be announced about an incident, to whom. */
    public record Notification(Transition transition, Incident incident, List<String> targets) {
        public Notification {
            targets = List.copyOf(targets);
        }
    }

    public enum Transition { FIRING, ESCALATED, RESOLVED }

    /**
     * One evaluation's effect: the next book, the snapshot's tiers as they stand after holds, the notices owed,
     * the incidents to store (new or changed), and whether an incident opened as a flap.
     */
    public record Step(AlertBook next, List<Snapshot.TierResult> held, List<Notification> notifications,
                       List<Incident> changed, boolean flapped) {
        public Step {
            held = List.copyOf(held);
            notifications = List.copyOf(notifications);
            changed = List.copyOf(changed);
        }
    }

    /** This book moved by the snapshot {@code s} (its tiers' raw conditions) under {@code rules}. */
    public Step step(Snapshot s, AlertRules rules) {
        if (staysQuiet(s)) {
            // what the steps below come to when nothing fires, is pending or is open: this book, the tiers as they
            // are, nothing to say (most evaluations of a fleet; the calculator then writes no book)
            return new Step(this, s.alerts(), List.of(), List.of(), false);
        }
        Instant at = s.evaluatedAt();
        boolean blind = s.status() == BudgetStatus.NO_DATA;
        Map<String, TierState> before = new HashMap<>();
        tiers.forEach(t -> before.put(t.tier(), t));
        List<TierState> nextTiers = new ArrayList<>();
        List<Snapshot.TierResult> held = new ArrayList<>();
        List<Snapshot.TierResult> counting = new ArrayList<>();
        int reopenedNow = 0;
        for (Snapshot.TierResult t : s.alerts()) {
            TierState current = before.getOrDefault(t.tier().name(), TierState.inactive(t.tier().name()));
            TierState next = blind ? current : move(current, t, at, rules);
            if (current.phase() == TierState.Phase.CLEARING && next.phase() == TierState.Phase.FIRING) {
                reopenedNow++;
            }
            nextTiers.add(next);
            Snapshot.TierResult h = t.held(next.counts(), next.phase() == TierState.Phase.PENDING);
            held.add(h);
            if (next.counts()) {
                counting.add(h);
            }
        }
        List<Notification> notices = new ArrayList<>();
        List<Incident> changed = new ArrayList<>();
        Incident nextBurn = burn;
        Instant resolvedAt = lastResolvedAt;
        boolean flapped = false;
        if (!counting.isEmpty()) {
            Snapshot.TierResult top = mostUrgent(counting);
            Set<String> names = new LinkedHashSet<>(burn == null ? List.of() : burn.tiers());
            counting.forEach(t -> names.add(t.tier().name()));
            Double peak = peak(burn == null ? null : burn.peakBurnRate(), counting);
            if (burn == null) {
                Duration hold = counting.stream().map(t -> flapWindow(t.tier(), rules)).max(Duration::compareTo)
                        .orElse(Duration.ZERO);
                flapped = lastResolvedAt != null && Duration.between(lastResolvedAt, at).compareTo(hold) < 0;
                nextBurn = new Incident(s.name() + "/" + Math.floorDiv(at.getEpochSecond(), 60), s.name(), s.service(),
                        Incident.Kind.BURN, top.tier().severity(), at, null, null, List.copyOf(names), peak, 0,
                        flapped, 0);
                if (counting.stream().anyMatch(t -> t.tier().routing().whenBreaching())) {
                    nextBurn = nextBurn.noticed();
                    notices.add(new Notification(Transition.FIRING, nextBurn, targets(counting)));
                }
            } else {
                nextBurn = burn.seen(List.copyOf(names), peak, reopenedNow);
                if (AlertTier.urgency(top.tier().severity()) > AlertTier.urgency(burn.severity())) {
                    nextBurn = nextBurn.escalated(top.tier().severity(), at);
                    if (top.tier().routing().whenBreaching()) {
                        nextBurn = nextBurn.noticed();
                        notices.add(new Notification(Transition.ESCALATED, nextBurn, targets(counting)));
                    }
                }
            }
        } else if (burn != null) {
            List<Snapshot.TierResult> fired = s.alerts().stream().filter(t -> burn.tiers().contains(t.tier().name()))
                    .toList();
            nextBurn = burn.resolved(at);
            resolvedAt = at;
            if (fired.isEmpty() || fired.stream().anyMatch(t -> t.tier().routing().whenResolved())) {
                nextBurn = nextBurn.noticed();
                notices.add(new Notification(Transition.RESOLVED, nextBurn, targets(fired)));
            }
        }
        if (nextBurn != null && !nextBurn.equals(burn)) {
            changed.add(nextBurn);
        }
        Incident nextNoData = noData;
        Instant silentSince = !s.noDataAlert() ? null : noDataSince != null ? noDataSince : at;
        boolean silentLongEnough = silentSince != null
                && Duration.between(silentSince, at).compareTo(rules.noDataAfter()) >= 0;
        if (silentLongEnough && noData == null) {
            nextNoData = new Incident(s.name() + "/no-data/" + Math.floorDiv(at.getEpochSecond(), 60), s.name(),
                    s.service(), Incident.Kind.NO_DATA, NO_DATA_SEVERITY, at, null, null, List.of(), null, 0, false, 1);
            notices.add(new Notification(Transition.FIRING, nextNoData, targets(s.alerts())));
            changed.add(nextNoData);
        } else if (!s.noDataAlert() && noData != null) {
            nextNoData = noData.resolved(at);
            boolean tell = s.alerts().isEmpty() || s.alerts().stream().anyMatch(t -> t.tier().routing().whenResolved());
            if (tell) {
                nextNoData = nextNoData.noticed();
                notices.add(new Notification(Transition.RESOLVED, nextNoData, targets(s.alerts())));
            }
            changed.add(nextNoData);
        }
        AlertBook next = new AlertBook(slo, nextTiers, nextBurn == null || !nextBurn.open() ? null : nextBurn,
                nextNoData == null || !nextNoData.open() ? null : nextNoData, resolvedAt, silentSince);
        return new Step(next, held, notices, changed, flapped);
    }

    /**
     * Whether {@code s} leaves this book as it is: no incident open or waiting for data, every tier of the
     * snapshot inactive here (in the same order) and neither firing nor pending in it, and no no-data alert.
     */
    private boolean staysQuiet(Snapshot s) {
        if (burn != null || noData != null || noDataSince != null || s.noDataAlert()
                || tiers.size() != s.alerts().size()) {
            return false;
        }
        for (int i = 0; i < tiers.size(); i++) {
            TierState state = tiers.get(i);
            Snapshot.TierResult t = s.alerts().get(i);
            if (t.firing() || t.pending() || state.phase() != TierState.Phase.INACTIVE || state.since() != null
                    || !state.tier().equals(t.tier().name())) {
                return false;
            }
        }
        return true;
    }

    /**
     * How soon after the last incident's end a new one counts as a flap: the tier's resolve hold, and at least its
     * short window (so that a configuration without a hold cannot hide its flaps).
     */
    static Duration flapWindow(AlertTier tier, AlertRules rules) {
        Duration shortWindow = Duration.ofMinutes(tier.shortWindowMinutes());
        Duration hold = rules.holdOf(tier);
        return hold.compareTo(shortWindow) > 0 ? hold : shortWindow;
    }

    /** The severity of a no-data notice: something to look at, not a page. */
    public static final String NO_DATA_SEVERITY = "ticket";

    private static TierState move(TierState current, Snapshot.TierResult t, Instant at, AlertRules rules) {
        boolean holds = t.firing();
        Duration alertAfter = Duration.ofMinutes(t.tier().alertAfterMinutes());
        return switch (current.phase()) {
            case INACTIVE -> !holds ? current
                    : alertAfter.isZero() ? new TierState(current.tier(), TierState.Phase.FIRING, at)
                    : new TierState(current.tier(), TierState.Phase.PENDING, at);
            case PENDING -> !holds ? TierState.inactive(current.tier())
                    : Duration.between(current.since(), at).compareTo(alertAfter) >= 0
                    ? new TierState(current.tier(), TierState.Phase.FIRING, at) : current;
            case FIRING -> stillBurning(t, rules) ? current
                    : rules.holdOf(t.tier()).isZero() ? TierState.inactive(current.tier())
                    : new TierState(current.tier(), TierState.Phase.CLEARING, at);
            case CLEARING -> stillBurning(t, rules) ? new TierState(current.tier(), TierState.Phase.FIRING, at)
                    : Duration.between(current.since(), at).compareTo(rules.holdOf(t.tier())) >= 0
                    ? TierState.inactive(current.tier()) : current;
        };
    }

    /**
     * Whether a firing tier still burns: its condition holds, or both windows are still beyond the threshold
     * moved back by the margin (below it for {@code gt}/{@code gte}, above it for {@code lt}/{@code lte}). The
     * short window gets at least one step of room (one bad slice of a time-slice budget): a window that moves in
     * steps coarser than the margin would otherwise flip with every slice.
     */
    static boolean stillBurning(Snapshot.TierResult t, AlertRules rules) {
        if (t.firing()) {
            return true;
        }
        if (t.longBurnRate() == null || t.shortBurnRate() == null) {
            return false;
        }
        double margin = rules.resolveMargin().doubleValue();
        Comparison op = t.tier().op();
        boolean above = op == Comparison.GT || op == Comparison.GTE;
        double longLine = above ? t.factor() * (1 - margin) : t.factor() * (1 + margin);
        double shortLine = above ? Math.min(longLine, Math.max(t.factor() - t.shortStep(), 0))
                : Math.max(longLine, t.factor() + t.shortStep());
        return op.holds(Double.compare(t.longBurnRate(), longLine))
                && op.holds(Double.compare(t.shortBurnRate(), shortLine));
    }

    private static Snapshot.TierResult mostUrgent(List<Snapshot.TierResult> counting) {
        Snapshot.TierResult top = counting.get(0);
        for (Snapshot.TierResult t : counting) {
            if (AlertTier.urgency(t.tier().severity()) > AlertTier.urgency(top.tier().severity())) {
                top = t;
            }
        }
        return top;
    }

    private static Double peak(Double before, List<Snapshot.TierResult> counting) {
        Double peak = before;
        for (Snapshot.TierResult t : counting) {
            if (t.longBurnRate() != null && (peak == null || t.longBurnRate() > peak)) {
                peak = t.longBurnRate();
            }
        }
        return peak;
    }

    private static List<String> targets(List<Snapshot.TierResult> tiers) {
        Set<String> out = new LinkedHashSet<>();
        tiers.forEach(t -> out.addAll(t.tier().routing().targets()));
        return List.copyOf(out);
    }

    // Written out, as the record would: its generated equals and hashCode run through method handles, which the C1
    // compiler the local runtime and Lambda use calls rather than inlines. Every evaluation compares the book it moved
    // with the stored one.
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof AlertBook b && java.util.Objects.equals(slo, b.slo) && tiers.equals(b.tiers)
                && java.util.Objects.equals(burn, b.burn) && java.util.Objects.equals(noData, b.noData)
                && java.util.Objects.equals(lastResolvedAt, b.lastResolvedAt)
                && java.util.Objects.equals(noDataSince, b.noDataSince);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(slo, tiers, burn, noData, lastResolvedAt, noDataSince);
    }
}
