package io.ebm.engine.review;

import io.ebm.core.incident.Incident;
import io.ebm.core.policy.Policy;
import io.ebm.core.port.AlertNotice;
import io.ebm.core.port.AlertNotifier;
import io.ebm.core.slo.Slo;
import io.ebm.core.store.BudgetStore;
import io.ebm.engine.StoredCounts;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deployed stack's monthly report: on the first of a month, the review of the last complete months from the
 * store (its counts and its incidents), as one notice (kind {@code review}, severity {@code ticket}) keyed by the
 * month, so that a retried invocation is dropped by receivers as a repeat.
 */
public final class MonthlyReview {

    /** The most months one report reads: three a quarter, twelve a year. */
    public static final int MAX_MONTHS = 12;

    private MonthlyReview() {
    }

    /** Reviews the {@code months} complete months before {@code now}'s month and sends the report. */
    public static List<TargetReview.Budget> publish(BudgetStore store, List<Slo> slos, Policy policy, Instant now,
                                                   int months, AlertNotifier notifier) {
        if (months < 1 || months > MAX_MONTHS) {
            throw new IllegalArgumentException("a review covers 1 to " + MAX_MONTHS + " months, got " + months);
        }
        YearMonth thisMonth = YearMonth.from(now.atZone(ZoneOffset.UTC));
        Instant to = thisMonth.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant from = thisMonth.minusMonths(months).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        TargetReview review = new TargetReview(slos, policy);
        StoredCounts.feed(store, review.dataKeys(), from, to, review::add);
        Map<String, List<Incident>> incidents = new HashMap<>();
        review.budgetNames().forEach(b -> incidents.put(b, store.incidents(b, from, to)));
        List<TargetReview.Budget> budgets = review.finish(to, incidents);
        long suggestions = budgets.stream().filter(b -> b.suggestion().change() != null).count();
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("severity", "ticket");
        attributes.put("kind", "review");
        attributes.put("service", "all");
        attributes.put("slo", "all");
        attributes.put("dedupKey", "review#" + thisMonth.minusMonths(1));
        attributes.put("notice", "review#" + thisMonth.minusMonths(1));
        notifier.publish(new AlertNotice(AlertNotice.subject("[TICKET] SLO review " + thisMonth.minusMonths(months)
                + " to " + thisMonth.minusMonths(1) + ": " + suggestions + " target change"
                + (suggestions == 1 ? "" : "s") + " suggested"), TargetReview.text(budgets), attributes,
                List.of("slo-owners"), null));
        return budgets;
    }
}
