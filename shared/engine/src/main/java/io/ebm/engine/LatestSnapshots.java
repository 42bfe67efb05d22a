package io.ebm.engine;

import io.ebm.core.budget.BudgetSpec;
import io.ebm.core.budget.Snapshot;
import io.ebm.core.policy.Policy;
import io.ebm.core.slo.Slo;
import io.ebm.core.store.BudgetStore;
import io.ebm.core.store.SnapshotRecord;
import java.util.ArrayList;
import java.util.List;

/** The latest stored snapshot of every budget of a set of SLOs. */
public final class LatestSnapshots {

    private LatestSnapshots() {
    }

    public static List<Snapshot> of(BudgetStore store, List<Slo> slos, Policy policy) {
        List<Snapshot> out = new ArrayList<>();
        for (Slo slo : slos) {
            for (BudgetSpec spec : BudgetSpec.of(slo, policy.tiers())) {
                store.latestSnapshot(spec.name()).map(SnapshotRecord::snapshot).ifPresent(out::add);
            }
        }
        return out;
    }
}
