package io.ebm.core.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who spent the budget: each landed deployment of a service is in force from its landing until the next one
 * lands, and what the budget lost meanwhile is its cost. Pure arithmetic over a budget's counts.
 */
public final class Ledger {

    /** A budget's spending over time, in its own unit (bad events or bad slice-minutes). */
    public interface Spending {
        double between(Instant from, Instant to);

        /** The earliest instant counted: older minutes have left the budget's window. */
        Instant countedFrom();
    }

    private static final Comparator<Deployment> IN_LANDING_ORDER = Comparator.comparing(Deployment::landedAt)
            .thenComparing(Deployment::key);

    private Ledger() {
    }

    /** The deployments that landed by {@code now}, in landing order. */
    public static List<Deployment> landed(List<Deployment> deployments, Instant now) {
        return deployments.stream().filter(d -> d.landed() && !d.landedAt().isAfter(now)).sorted(IN_LANDING_ORDER)
                .toList();
    }

    /**
     * One entry per landed deployment whose time in force reaches into the counted window, oldest first. Shares
     * are of {@code budget}; a budget of zero (no traffic yet) gives shares of 0.
     */
    public static List<LedgerEntry> entries(String budgetName, List<Deployment> deployments, Spending spending,
                                            double budget, Instant now, Duration firstSpan) {
        List<Deployment> landed = landed(deployments, now);
        List<LedgerEntry> out = new ArrayList<>();
        Instant counted = spending.countedFrom();
        for (int i = 0; i < landed.size(); i++) {
            Deployment d = landed.get(i);
            boolean current = i == landed.size() - 1;
            Instant until = current ? now : landed.get(i + 1).landedAt();
            if (!until.isAfter(counted)) {
                continue;
            }
            Instant firstEnd = min(d.landedAt().plus(firstSpan), until);
            out.add(new LedgerEntry(d, budgetName, until, firstSpan, share(spending.between(d.landedAt(), firstEnd), budget),
                    share(spending.between(d.landedAt(), until), budget), counted, current));
        }
        return out;
    }

    /**
     * What the newest deployment in force has spent since landing, and within each of {@code spans} after landing
     * (or until now, for a span not over yet); null when none has landed within the counted window.
     */
    public static DeploymentSpend newest(List<Deployment> deployments, Spending spending, double budget, Instant now,
                                         Set<Duration> spans) {
        Deployment d = newestLanded(deployments, now);
        if (d == null || d.landedAt().isBefore(spending.countedFrom())) {
            return null;
        }
        Map<Long, Double> within;
        if (spans.size() == 1) {
            Duration span = spans.iterator().next();
            within = Map.of(span.toMinutes(), share(spending.between(d.landedAt(), min(d.landedAt().plus(span), now)),
                    budget));
        } else {
            within = new LinkedHashMap<>();
            for (Duration span : spans) {
                within.put(span.toMinutes(), share(spending.between(d.landedAt(), min(d.landedAt().plus(span), now)),
                        budget));
            }
        }
        return DeploymentSpend.of(d, share(spending.between(d.landedAt(), now), budget), within);
    }

    /**
     * The last of {@link #landed}, found without sorting (null when none has landed by {@code now}): a
     * calculator finds it once per service and run, not once per budget.
     */
    public static Deployment newestLanded(List<Deployment> deployments, Instant now) {
        Deployment d = null;
        for (Deployment c : deployments) {
            if (!c.landed() || c.landedAt().isAfter(now)) {
                continue;
            }
            // IN_LANDING_ORDER written out: its key extractors box and build strings on every comparison
            int order = d == null ? 1 : c.landedAt().compareTo(d.landedAt());
            if (order > 0 || order == 0 && c.key().compareTo(d.key()) > 0) {
                d = c;
            }
        }
        return d;
    }

    private static double share(double spent, double budget) {
        return budget <= 0 ? 0 : spent / budget;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
