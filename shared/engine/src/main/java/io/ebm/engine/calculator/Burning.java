package io.ebm.engine.calculator;

import io.ebm.core.budget.Snapshot;
import io.ebm.core.slo.Slo;
import io.ebm.core.store.BudgetStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The optional burning mode: a budget whose short window burns at more than a share of a page tier's factor is
 * collected and evaluated every minute while it burns, the others at the deployed cadence. The calculator keeps
 * one mark per burning budget (written when it starts or stops burning); the one-minute run reads the marks, a
 * single query, and takes only those SLOs.
 */
public final class Burning {

    /** Marks {@code burning/<budget>}: the minute it started burning. */
    public static final String MARK_PREFIX = "burning/";

    private Burning() {
    }

    /** Whether a page tier's short window burns at {@code share} of its factor or more. */
    public static boolean burns(Snapshot s, double share) {
        for (Snapshot.TierResult t : s.alerts()) {
            if ("page".equals(t.tier().severity()) && t.shortBurnRate() != null
                    && t.shortBurnRate() >= share * t.factor()) {
                return true;
            }
        }
        return false;
    }

    /** Writes or clears the budget's mark when its state changed from {@code marks} (read once a run). */
    static void mark(BudgetStore store, Snapshot s, double share, Map<String, Long> marks) {
        String key = MARK_PREFIX + s.name();
        boolean now = burns(s, share) && s.status() != io.ebm.core.budget.BudgetStatus.NO_DATA;
        if (now && !marks.containsKey(key)) {
            store.putMark(key, s.evaluatedAt().getEpochSecond() / 60);
        } else if (!now && marks.containsKey(key)) {
            store.clearMark(key);
        }
    }

    /** The SLOs of {@code slos} with a burning budget, as the one-minute run takes them. */
    public static List<Slo> of(BudgetStore store, List<Slo> slos) {
        Map<String, Long> marks = store.marks(MARK_PREFIX);
        List<Slo> out = new ArrayList<>();
        if (marks.isEmpty()) {
            return out;
        }
        for (Slo slo : slos) {
            for (String key : marks.keySet()) {
                String budget = key.substring(MARK_PREFIX.length());
                if (budget.equals(slo.name()) || budget.startsWith(slo.name() + "/")) {
                    out.add(slo);
                    break;
                }
            }
        }
        return out;
    }
}
