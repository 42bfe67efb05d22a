package io.ebm.engine;

import io.ebm.core.budget.BudgetSpec;
import io.ebm.core.budget.Snapshot;
import io.ebm.core.policy.Policy;
import io.ebm.core.slo.DurationShorthand;
import io.ebm.core.slo.Slo;
import io.ebm.core.store.BudgetStore;
import io.ebm.core.store.SnapshotRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The latest stored snapshot of every budget of a set of SLOs, as the gate, the reconciler and the status API
 * must see them: freshness is data, so a snapshot older than the policy's {@code staleAfter} is NO_DATA (the
 * calculator has stopped, or this budget's shard fails), and the policy's {@code onNoData} decides.
 */
public final class LatestSnapshots {

    private LatestSnapshots() {
    }

    /**
     * {@code staleDefault} is the bound when the policy names none: twice the calculator's schedule, which the
     * deployment knows.
     */
    public static List<Snapshot> of(BudgetStore store, List<Slo> slos, Policy policy, Instant now,
                                    Duration staleDefault) {
        Duration staleAfter = policy.release().staleAfterOr(staleDefault);
        java.util.Map<String, Instant> confirmed = store.confirmations();
        List<String> budgets = BudgetSpec.names(slos, policy.tiers());
        java.util.Map<String, SnapshotRecord> latest = store.latestSnapshots(budgets); // in batches
        List<Snapshot> out = new ArrayList<>();
        for (String b : budgets) {
            SnapshotRecord r = latest.get(b);
            if (r != null) {
                Snapshot s = r.snapshot();
                out.add(fresh(s, confirmed.get(s.name()), now, staleAfter));
            }
        }
        return out;
    }

    /** When what the snapshot shows was last known to hold: the later of its time and its confirmation (or null). */
    public static Instant checkedAt(Snapshot s, Instant confirmedAt) {
        return confirmedAt != null && confirmedAt.isAfter(s.evaluatedAt()) ? confirmedAt : s.evaluatedAt();
    }

    /** {@link #fresh(Snapshot, Instant, Instant, Duration)} of a snapshot never confirmed. */
    public static Snapshot fresh(Snapshot s, Instant now, Duration staleAfter) {
        return fresh(s, null, now, staleAfter);
    }

    /**
     * The snapshot, or NO_DATA with the reason when the later of its time and its confirmation ({@code
     * confirmedAt}, null if none: the calculator found it unchanged then) is older than {@code staleAfter} at
     * {@code now}.
     */
    public static Snapshot fresh(Snapshot s, Instant confirmedAt, Instant now, Duration staleAfter) {
        Instant checked = checkedAt(s, confirmedAt);
        Duration age = Duration.between(checked, now);
        if (age.compareTo(staleAfter) <= 0) {
            return s;
        }
        return s.asStale("stale: the latest snapshot was " + (checked == s.evaluatedAt() ? "evaluated" : "confirmed")
                + " at " + checked + ", " + io.ebm.core.Human.duration(age) + " ago, more than staleAfter "
                + io.ebm.core.Human.duration(staleAfter) + " (is the calculator running?)");
    }
}
