package io.ebm.engine.status;

import io.ebm.core.Human;
import io.ebm.core.alert.AlertTier;
import io.ebm.core.budget.Snapshot;
import io.ebm.core.deploy.Deployment;
import io.ebm.core.deploy.LedgerEntry;
import io.ebm.core.incident.Incident;
import io.ebm.core.store.AuditEntry;
import io.ebm.core.store.TargetRecord;
import io.ebm.core.slo.DurationShorthand;
import io.ebm.engine.deploy.DeploymentLedgers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Server-rendered HTML: the overview and one SLO's page. Charts are inline SVG; nothing is loaded from elsewhere,
 * so the pages work offline. Status is always written as a word and a symbol, never told by colour alone.
 */
final class Pages {

    private static final String STYLE = """
            <style>body{font-family:system-ui,sans-serif;margin:24px;color:#212121}table{border-collapse:collapse}
            td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:left}th{background:#f5f5f5}
            .HEALTHY{color:#2e7d32}.WARNING{color:#b26a00}.EXHAUSTED{color:#c62828}.NO_DATA,.INSUFFICIENT_TRAFFIC{color:#616161}
            .bar{display:inline-block;height:10px;background:#1565c0}.num{text-align:right;font-variant-numeric:tabular-nums}
            </style>""";

    private Pages() {
    }

    static String symbol(String status) {
        return switch (status) {
            case "HEALTHY" -> "✓";
            case "WARNING" -> "!";
            case "EXHAUSTED" -> "✗";
            default -> "?";
        };
    }

    private static String status(Snapshot s) {
        String st = s.status().name();
        return "<span class=\"" + st + "\">" + symbol(st) + " " + st + "</span>";
    }

    private static String pct(Double f) {
        return f == null ? "–" : String.format(Locale.ROOT, "%.2f%%", f * 100);
    }

    private static String rate(Double r) {
        return r == null ? "–" : String.format(Locale.ROOT, "%.2f", r);
    }

    /**
     * How bad a status is for a service's summary: a budget without data is not healthy (the gate denies on it),
     * so it ranks above HEALTHY and WARNING and below EXHAUSTED.
     */
    static int severity(io.ebm.core.budget.BudgetStatus status) {
        return switch (status) {
            case EXHAUSTED -> 4;
            case NO_DATA -> 3;
            case INSUFFICIENT_TRAFFIC -> 2;
            case WARNING -> 1;
            case HEALTHY -> 0;
        };
    }

    /** The SLO that decides a service's status: the worst status, then the least budget left. */
    static Snapshot worst(List<Snapshot> list) {
        return list.stream().max(java.util.Comparator.comparingInt((Snapshot s) -> severity(s.status()))
                .thenComparing(s -> s.remainingFraction() == null ? Double.MAX_VALUE : -s.remainingFraction())
                .thenComparing(Snapshot::name, java.util.Comparator.reverseOrder())).orElseThrow();
    }

    /** A link to an SLO's page; names are validated, and encoded all the same. */
    static String viewHref(String name) {
        return "/slos/" + encodePath(name) + "/view";
    }

    static String encodePath(String name) {
        StringBuilder sb = new StringBuilder();
        for (String part : name.split("/", -1)) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(java.net.URLEncoder.encode(part, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return Svg.esc(sb.toString());
    }

    static String dashboard(List<Snapshot> snapshots) {
        StringBuilder sb = new StringBuilder("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>Error budgets</title>" + STYLE + "</head><body><h1>Error budgets</h1>");
        Map<String, List<Snapshot>> byService = new LinkedHashMap<>();
        snapshots.forEach(s -> byService.computeIfAbsent(s.service(), k -> new ArrayList<>()).add(s));
        sb.append("<h2>Services</h2><table><thead><tr><th>Service</th><th>Worst status</th><th>Decided by</th>"
                + "<th class=\"num\">Lowest budget left</th><th>SLOs</th></tr></thead><tbody>");
        byService.forEach((service, list) -> {
            Snapshot worst = worst(list);
            Double lowest = list.stream().map(Snapshot::remainingFraction).filter(java.util.Objects::nonNull)
                    .min(Double::compare).orElse(null);
            sb.append("<tr><td><a href=\"/services/").append(encodePath(service)).append("/view\">")
                    .append(Svg.esc(service)).append("</a></td><td>").append(status(worst))
                    .append("</td><td><a href=\"").append(viewHref(worst.name())).append("\">").append(Svg.esc(worst.name()))
                    .append("</a></td><td class=\"num\">").append(pct(lowest)).append("</td><td>")
                    .append(list.size()).append("</td></tr>");
        });
        sb.append("</tbody></table><h2>SLOs, lowest budget first</h2><table><thead><tr><th>SLO</th><th>Service</th>"
                + "<th>Status</th><th>Budget left</th><th class=\"num\">SLI</th><th class=\"num\">Burn 1h</th>"
                + "<th class=\"num\">Burn window</th><th>Firing</th><th>Badge</th></tr></thead><tbody>");
        for (Snapshot s : snapshots) {
            Double r = s.remainingFraction();
            int width = r == null ? 0 : (int) Math.round(Math.max(0, Math.min(1, r)) * 100);
            List<String> firing = new ArrayList<>(s.alerts().stream().filter(Snapshot.TierResult::firing)
                    .map(a -> a.tier().name()).toList());
            s.alerts().stream().filter(Snapshot.TierResult::pending).forEach(a -> firing.add(a.tier().name() + " (pending)"));
            sb.append("<tr><td><a href=\"").append(viewHref(s.name())).append("\">").append(Svg.esc(s.name()))
                    .append("</a></td><td>").append(Svg.esc(s.service())).append("</td><td>").append(status(s))
                    .append("</td><td><span class=\"bar\" style=\"width:").append(width).append("px\"></span> ")
                    .append(pct(r)).append("</td><td class=\"num\">").append(pct(s.sli())).append("</td><td class=\"num\">")
                    .append(rate(s.burnRates().get("1h"))).append("</td><td class=\"num\">")
                    .append(rate(s.burnRates().get("window"))).append("</td><td>")
                    .append(firing.isEmpty() ? "–" : Svg.esc(String.join(", ", firing))).append("</td><td><img alt=\"")
                    .append(Svg.esc(s.name())).append(" badge\" src=\"/slos/").append(encodePath(s.name()))
                    .append("/badge.svg\"></td></tr>");
        }
        return sb.append("</tbody></table></body></html>").toString();
    }

    /** One hour of an SLO's traffic: requests (or valid events) and the bad ones among them. */
    record Hour(Instant start, long total, long bad) {
    }

    /** A gate's answer, as the pages show it. */
    record Gate(String verdict, List<String> reasons) {
    }

    static String slo(Snapshot s, List<Snapshot> history, List<Incident> incidents, List<Deployment> deployments,
                      List<Hour> hours, Gate gate) {
        StringBuilder sb = new StringBuilder("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(Svg.esc(s.name())).append(" – error budget</title>").append(STYLE).append("</head><body>");
        sb.append("<p><a href=\"/\">All SLOs</a></p><h1>").append(Svg.esc(s.name())).append("</h1>");
        sb.append("<p>Service ").append(Svg.esc(s.service())).append(" · ").append(Svg.esc(s.budgetingMethod()))
                .append(" over ").append(Svg.esc(s.window())).append(" · target ")
                .append(s.target() == null ? "–" : s.target().movePointRight(2).stripTrailingZeros().toPlainString() + "%")
                .append("</p>");
        sb.append("<p>Status: ").append(status(s)).append(" — ").append(Svg.esc(s.statusReason())).append("</p>");
        sb.append("<p>Budget left: ").append(pct(s.remainingFraction())).append(" · SLI ").append(pct(s.sli()))
                .append(" · exhausted ").append(s.timeToExhaustion() == null ? "never at this burn rate"
                        : s.timeToExhaustion().isZero() ? "already" : "in " + Human.duration(s.timeToExhaustion()))
                .append(" · evaluated ").append(human(s.evaluatedAt())).append("</p>");

        sb.append("<h2>Budget remaining over the window</h2>");
        long t0 = s.windowStart().toEpochMilli();
        long span = Math.max(1, s.evaluatedAt().toEpochMilli() - t0);
        List<Svg.Point> burnDown = new ArrayList<>();
        double min = 0;
        for (Snapshot h : history) {
            if (h.remainingFraction() != null) {
                double x = Math.max(0, Math.min(1, (h.evaluatedAt().toEpochMilli() - t0) / (double) span));
                burnDown.add(new Svg.Point(x, h.remainingFraction() * 100, human(h.evaluatedAt()) + ": "
                        + pct(h.remainingFraction()) + " of the budget left"));
                min = Math.min(min, h.remainingFraction() * 100);
            }
        }
        sb.append(Svg.line("Remaining error budget, percent, from " + human(s.windowStart()) + " to "
                + human(s.evaluatedAt()), burnDown, Math.floor(min), 100, "budget left (%)", 0.0, "budget exhausted",
                human(s.windowStart()), human(s.evaluatedAt())));

        sb.append("<h2>Release gate of ").append(Svg.esc(s.service())).append(": ").append(Svg.esc(gate.verdict()))
                .append("</h2><ul class=\"gate\">");
        gate.reasons().forEach(r -> sb.append("<li>").append(Svg.esc(r)).append("</li>"));
        sb.append("</ul>");

        sb.append("<h2>Burn rate over the last hour, against the tiers' thresholds</h2>");
        List<Svg.Point> burn = new ArrayList<>();
        double maxBurn = 1;
        for (Snapshot h : history) {
            Double b = h.burnRates().get("1h");
            if (b != null) {
                double x = Math.max(0, Math.min(1, (h.evaluatedAt().toEpochMilli() - t0) / (double) span));
                burn.add(new Svg.Point(x, b, human(h.evaluatedAt()) + ": burn rate " + Svg.fmt(b)));
                maxBurn = Math.max(maxBurn, b);
            }
        }
        List<Svg.Rule> thresholds = new ArrayList<>();
        for (Snapshot.TierResult t : s.alerts()) {
            thresholds.add(new Svg.Rule(t.factor(), t.tier().name() + " " + Svg.fmt(t.factor()) + "x"));
            maxBurn = Math.max(maxBurn, t.factor() * 1.1);
        }
        sb.append(Svg.chart("Burn rate over the last hour from " + human(s.windowStart()) + " to "
                + human(s.evaluatedAt()), burn, 0, Math.ceil(maxBurn), "burn rate (1h)", thresholds,
                human(s.windowStart()), human(s.evaluatedAt())));

        sb.append("<h2>Errors and traffic per hour</h2>");
        List<Svg.Point> errors = new ArrayList<>();
        List<Svg.Point> traffic = new ArrayList<>();
        double maxError = 0;
        double maxTraffic = 1;
        for (Hour h : hours) {
            double x = Math.max(0, Math.min(1, (h.start().toEpochMilli() - t0) / (double) span));
            double rate = h.total() == 0 ? 0 : 100.0 * h.bad() / h.total();
            errors.add(new Svg.Point(x, rate, human(h.start()) + ": " + String.format(Locale.ROOT, "%.3f%%", rate)
                    + " bad (" + h.bad() + " of " + h.total() + ")"));
            traffic.add(new Svg.Point(x, h.total(), human(h.start()) + ": " + h.total() + " events"));
            maxError = Math.max(maxError, rate);
            maxTraffic = Math.max(maxTraffic, h.total());
        }
        double allowed = s.target() == null ? 0 : 100 * (1 - s.target().doubleValue());
        sb.append(Svg.chart("Bad events per hour, percent, against the share the target allows", errors, 0,
                Math.max(maxError, allowed * 2) * 1.05, "bad (%)", List.of(new Svg.Rule(allowed, "the target allows "
                        + String.format(Locale.ROOT, "%.3f%%", allowed))), human(s.windowStart()),
                human(s.evaluatedAt())));
        sb.append(Svg.chart("Events per hour", traffic, 0, maxTraffic * 1.05, "events per hour", List.of(),
                human(s.windowStart()), human(s.evaluatedAt())));

        sb.append("<h2>Burn rates against the alert tiers</h2>");
        List<Svg.Bar> bars = new ArrayList<>();
        for (Snapshot.TierResult t : s.alerts()) {
            String lw = DurationShorthand.ofMinutes(t.tier().longWindowMinutes());
            String sw = DurationShorthand.ofMinutes(t.tier().shortWindowMinutes());
            bars.add(new Svg.Bar(t.tier().name() + " " + lw, t.longBurnRate() == null ? 0 : t.longBurnRate(),
                    t.factor(), t.firing()));
            bars.add(new Svg.Bar(t.tier().name() + " " + sw, t.shortBurnRate() == null ? 0 : t.shortBurnRate(),
                    t.factor(), t.firing()));
        }
        bars.add(new Svg.Bar("whole window", s.burnRates().get("window") == null ? 0 : s.burnRates().get("window"), 1.0,
                false));
        sb.append(Svg.bars("Burn rate per window; dashed marks are the tier thresholds", bars));

        sb.append("<h2>Incidents</h2>");
        List<Svg.Span> spans = new ArrayList<>();
        for (Incident i : incidents) {
            Instant end = i.resolvedAt() == null ? s.evaluatedAt() : i.resolvedAt();
            spans.add(new Svg.Span((i.openedAt().toEpochMilli() - t0) / (double) span,
                    (end.toEpochMilli() - t0) / (double) span, i.severity(), describe(i, s.evaluatedAt()),
                    AlertTier.urgency(i.severity()) >= AlertTier.urgency("page")));
        }
        List<Svg.Mark> marks = new ArrayList<>();
        for (Deployment d : deployments) {
            marks.add(new Svg.Mark((d.landedAt().toEpochMilli() - t0) / (double) span, "deployed: " + d.describe()
                    + " landed " + human(d.landedAt())));
        }
        sb.append(Svg.timeline("Incidents and deployments of " + s.name() + " from " + human(s.windowStart()) + " to "
                + human(s.evaluatedAt()), spans, marks, human(s.windowStart()), human(s.evaluatedAt())));
        sb.append("<table class=\"incidents\"><thead><tr><th>Incident</th><th>Severity</th><th>Opened</th>"
                + "<th>Escalated</th><th>Resolved</th><th>Lasted</th><th>Tiers</th><th>Peak burn</th><th>Notices</th>"
                + "</tr></thead><tbody>");
        for (Incident i : incidents) {
            sb.append("<tr><td>").append(Svg.esc(i.kind() == Incident.Kind.NO_DATA ? "no data" : "burn"))
                    .append(i.flap() ? " (flap)" : "").append("</td><td>").append(Svg.esc(i.severity()))
                    .append("</td><td>").append(human(i.openedAt())).append("</td><td>")
                    .append(i.escalatedAt() == null ? "–" : human(i.escalatedAt())).append("</td><td>")
                    .append(i.resolvedAt() == null ? "open" : human(i.resolvedAt())).append("</td><td>")
                    .append(io.ebm.core.Human.duration(Duration.between(i.openedAt(),
                            i.resolvedAt() == null ? s.evaluatedAt() : i.resolvedAt())))
                    .append("</td><td>").append(Svg.esc(String.join(", ", i.tiers()))).append("</td><td>")
                    .append(i.peakBurnRate() == null ? "–" : Svg.fmt(i.peakBurnRate())).append("</td><td>")
                    .append(i.notices()).append("</td></tr>");
        }
        if (incidents.isEmpty()) {
            sb.append("<tr><td colspan=\"9\">No incident in this window.</td></tr>");
        }
        sb.append("</tbody></table><p><img alt=\"badge\" src=\"/slos/").append(Svg.esc(s.name()))
                .append("/badge.svg\"></p>");
        return sb.append("</body></html>").toString();
    }

    /**
     * A service: its SLOs, its gate with the reasons, and the deployment ledger (what each deployment in force
     * cost each budget, in its first hour and while in force).
     */
    static String service(String service, List<Snapshot> snapshots, Gate gate, List<String> overrides,
                          List<TargetRecord> stages, List<AuditEntry> audit, List<DeploymentLedgers.Row> ledger) {
        StringBuilder sb = new StringBuilder("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(Svg.esc(service)).append(" – service</title>").append(STYLE).append("</head><body>");
        sb.append("<p><a href=\"/\">All SLOs</a></p><h1>").append(Svg.esc(service)).append("</h1>");
        sb.append("<h2>Release gate: ").append(Svg.esc(gate.verdict())).append("</h2><ul class=\"gate\">");
        gate.reasons().forEach(r -> sb.append("<li>").append(Svg.esc(r)).append("</li>"));
        sb.append("</ul><h3>Overrides in force</h3><ul>");
        overrides.forEach(o -> sb.append("<li>").append(Svg.esc(o)).append("</li>"));
        if (overrides.isEmpty()) {
            sb.append("<li>none</li>");
        }
        sb.append("</ul><h2>Pipelines</h2><table class=\"pipelines\"><thead><tr><th>Pipeline stage</th><th>State</th>"
                + "<th>Since</th><th>Why</th></tr></thead><tbody>");
        for (TargetRecord t : stages) {
            String[] parts = t.key().split("#", 3);
            sb.append("<tr><td>").append(Svg.esc(parts.length == 3 ? parts[1] + " / " + parts[2] : t.key()))
                    .append("</td><td>").append(t.engaged() ? "frozen" : "open").append("</td><td>")
                    .append(t.decidedAt() == null ? "–" : human(t.decidedAt())).append("</td><td>")
                    .append(Svg.esc(t.reason() == null ? "" : t.reason())).append("</td></tr>");
        }
        if (stages.isEmpty()) {
            sb.append("<tr><td colspan=\"4\">The policy manages no pipeline stage of this service.</td></tr>");
        }
        sb.append("</tbody></table><h2>What the policy did, and why</h2><table class=\"audit\"><thead><tr><th>When</th>"
                + "<th>Who</th><th>What</th><th>Why</th></tr></thead><tbody>");
        for (AuditEntry a : audit) {
            sb.append("<tr><td>").append(human(a.at())).append("</td><td>").append(Svg.esc(a.actor())).append("</td><td>")
                    .append(Svg.esc(a.what())).append("</td><td>").append(Svg.esc(a.why())).append("</td></tr>");
        }
        if (audit.isEmpty()) {
            sb.append("<tr><td colspan=\"4\">Nothing in the last 30 days.</td></tr>");
        }
        sb.append("</tbody></table>");
        sb.append("<h2>SLOs</h2><table><thead><tr><th>SLO</th><th>Status</th><th class=\"num\">Budget left</th>"
                + "</tr></thead><tbody>");
        for (Snapshot x : snapshots) {
            sb.append("<tr><td><a href=\"").append(viewHref(x.name())).append("\">").append(Svg.esc(x.name()))
                    .append("</a></td><td>").append(status(x)).append("</td><td class=\"num\">")
                    .append(pct(x.remainingFraction())).append("</td></tr>");
        }
        sb.append("</tbody></table><h2>Deployments: who spent the budget</h2><table class=\"ledger\"><thead><tr>"
                + "<th>Deployment</th><th>Landed</th><th>In force</th><th>Budget</th><th class=\"num\">First hour</th>"
                + "<th class=\"num\">While in force</th></tr></thead><tbody>");
        for (int i = ledger.size() - 1; i >= 0; i--) {
            DeploymentLedgers.Row row = ledger.get(i);
            for (LedgerEntry e : row.budgets()) {
                sb.append("<tr><td>").append(Svg.esc(row.deployment().describe())).append("</td><td>")
                        .append(human(row.deployment().landedAt())).append("</td><td>")
                        .append(e.current() ? "now, for " : "").append(io.ebm.core.Human.duration(e.inForce()))
                        .append("</td><td><a href=\"").append(viewHref(e.budget())).append("\">")
                        .append(Svg.esc(e.budget())).append("</a></td><td class=\"num\">").append(pct(e.firstSpanShare()))
                        .append("</td><td class=\"num\">").append(pct(e.inForceShare())).append("</td></tr>");
            }
        }
        if (ledger.isEmpty()) {
            sb.append("<tr><td colspan=\"6\">No deployment recorded within the budgets' windows.</td></tr>");
        }
        return sb.append("</tbody></table></body></html>").toString();
    }

    /** An incident in one line, for a hover title. */
    private static String describe(Incident i, Instant now) {
        return i.severity() + " " + (i.kind() == Incident.Kind.NO_DATA ? "no data" : "incident") + " from "
                + human(i.openedAt()) + (i.resolvedAt() == null ? ", open at " + human(now)
                : " to " + human(i.resolvedAt())) + (i.tiers().isEmpty() ? "" : "; tiers " + String.join(", ", i.tiers()))
                + (i.peakBurnRate() == null ? "" : "; peak burn " + Svg.fmt(i.peakBurnRate()));
    }

    private static String human(Instant at) {
        return Human.time(at);
    }
}
