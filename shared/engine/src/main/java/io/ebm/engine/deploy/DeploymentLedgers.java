package io.ebm.engine.deploy;

import io.ebm.core.budget.BudgetSpec;
import io.ebm.core.budget.Snapshot;
import io.ebm.core.deploy.Deployment;
import io.ebm.core.deploy.LedgerEntry;
import io.ebm.core.policy.Policy;
import io.ebm.core.slo.Slo;
import io.ebm.core.store.BudgetStore;
import io.ebm.engine.BudgetPipeline;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ledger of one service as of now, from the store: its deployments, and for each of its budgets what each
 * deployment cost it while in force, counted over the budget's own window from the stored counts (the same
 * pipeline as the calculator's, exclusions applied). One read of each budget's window per call.
 */
public final class DeploymentLedgers {

    /** One deployment and what it cost each budget of the service. */
    public record Row(Deployment deployment, List<LedgerEntry> budgets) {
        public Row {
            budgets = List.copyOf(budgets);
        }
    }

    private DeploymentLedgers() {
    }

    /** Every deployment of {@code service} in force within its budgets' windows, oldest first. */
    public static List<Row> of(BudgetStore store, List<Slo> slos, Policy policy, String service, Instant now) {
        Map<String, List<LedgerEntry>> byDeployment = new LinkedHashMap<>();
        Map<String, Deployment> deployments = new LinkedHashMap<>();
        List<BudgetPipeline> pipelines = new ArrayList<>();
        for (Slo slo : slos) {
            if (slo.service().equals(service)) {
                BudgetSpec.of(slo, policy.tiers()).forEach(spec -> pipelines.add(BudgetPipeline.of(spec,
                        policy.exclusions())));
            }
        }
        long atMinute = Math.floorDiv(now.getEpochSecond(), 60);
        long longest = pipelines.stream().mapToLong(BudgetPipeline::retainedMinutes).max().orElse(0);
        // one read of the service's deployments, over the longest window; each budget counts within its own
        List<Deployment> ds = store.deployments(service, Instant.ofEpochSecond((atMinute - longest) * 60),
                now.plusSeconds(60));
        for (BudgetPipeline pipeline : pipelines) {
            long from = atMinute - pipeline.retainedMinutes();
            for (String key : pipeline.dataKeys()) {
                int component = pipeline.component(key);
                store.forEachCount(key, from, atMinute, (minute, counts) -> pipeline.add(component, minute, counts));
            }
            Snapshot s = pipeline.snapshot(now, policy.settings());
            for (LedgerEntry e : pipeline.ledger(s, ds, Policy.LEDGER_SPAN)) {
                deployments.put(e.deployment().key(), e.deployment());
                byDeployment.computeIfAbsent(e.deployment().key(), k -> new ArrayList<>()).add(e);
            }
        }
        List<Row> rows = new ArrayList<>();
        deployments.forEach((key, d) -> rows.add(new Row(d, byDeployment.get(key))));
        rows.sort(java.util.Comparator.comparing((Row r) -> r.deployment().landedAt()));
        return rows;
    }
}
