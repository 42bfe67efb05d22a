package io.ebm.local;

import io.ebm.core.budget.Snapshot;
import io.ebm.core.deploy.LedgerEntry;
import io.ebm.core.policy.Decision;
import io.ebm.core.policy.GateDecision;
import io.ebm.engine.Evaluation;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The {@code evaluate --format text} table. */
final class TextReport {

    private static final String[] HEADERS = {"SLO", "SERVICE", "STATUS", "SLI", "TARGET", "BUDGET LEFT", "BURN 1h",
            "BURN 6h", "BURN 3d", "BURN WINDOW", "EXHAUSTED IN", "FIRING"};

    private TextReport() {
    }

    static String render(Evaluation.Result result, boolean withPolicy) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (Snapshot s : result.snapshots()) {
            String firing = s.alerts().stream().filter(Snapshot.TierResult::firing)
                    .map(a -> a.tier().name()).collect(Collectors.joining(","));
            rows.add(new String[] {
                s.name(), s.service(), s.status().name(),
                s.sli() == null ? "-" : String.format("%.5f%%", s.sli() * 100),
                s.target() == null ? "-" : s.target().movePointRight(2).stripTrailingZeros().toPlainString() + "%",
                Text.percent(s.remainingFraction()) + remainingMinutes(s),
                Text.rate(s.burnRates().get("1h")), Text.rate(s.burnRates().get("6h")),
                Text.rate(s.burnRates().get("3d")), Text.rate(s.burnRates().get("window")),
                s.status() == io.ebm.core.budget.BudgetStatus.NO_DATA ? "-" : Text.duration(s.timeToExhaustion()),
                firing.isEmpty() ? "-" : firing});
        }
        StringBuilder out = new StringBuilder("Evaluated at " + io.ebm.core.Human.time(result.evaluatedAt()) + "\n\n");
        out.append(table(rows));
        if (!result.ledger().isEmpty()) {
            out.append("\nDeployments: who spent the budget\n");
            for (LedgerEntry e : result.ledger()) {
                out.append(String.format(java.util.Locale.ROOT, "  %s, landed %s, spent %s of %s's budget in its first "
                                + "%s and %s while in force (%s%s)%n", e.deployment().describe(),
                        io.ebm.core.Human.time(e.deployment().landedAt()), Text.percent(e.firstSpanShare()), e.budget(),
                        io.ebm.core.Human.duration(e.firstSpan()), Text.percent(e.inForceShare()),
                        io.ebm.core.Human.duration(e.inForce()), e.current() ? ", in force now" : ""));
            }
        }
        if (withPolicy) {
            out.append("\nDecisions\n");
            if (result.decisions().isEmpty()) {
                out.append("  (none)\n");
            }
            for (Decision d : result.decisions()) {
                out.append("  [").append(d.rule()).append("] ").append(d.budget()).append(": ")
                        .append(d.action().describe());
                if (d.overriddenBy() != null) {
                    out.append(" (set aside by ").append(d.overriddenBy()).append(')');
                }
                out.append('\n');
                for (String r : d.reasons()) {
                    out.append("      because ").append(r).append('\n');
                }
            }
            out.append("\nRelease gates\n");
            for (GateDecision g : result.gates()) {
                out.append("  ").append(g.service()).append(": ").append(g.verdict()).append('\n');
                for (String r : g.reasons()) {
                    out.append("      ").append(r).append('\n');
                }
            }
        }
        return out.toString();
    }

    private static String remainingMinutes(Snapshot s) {
        Double m = s.remainingMinutes();
        return m == null ? "" : String.format(" (%.1f min)", m);
    }

    private static String table(List<String[]> rows) {
        int[] width = new int[HEADERS.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                sb.append(String.format("%-" + width[i] + "s", r[i]));
                sb.append(i + 1 < r.length ? "  " : "\n");
            }
        }
        return sb.toString();
    }
}
