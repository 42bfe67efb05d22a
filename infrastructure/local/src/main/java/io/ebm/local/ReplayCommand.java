package io.ebm.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ebm.core.Human;
import io.ebm.core.incident.Incident;
import io.ebm.core.incident.IncidentJson;
import io.ebm.core.openslo.OpenSloLoader;
import io.ebm.core.openslo.SloDefinitions;
import io.ebm.core.policy.Policy;
import io.ebm.core.policy.PolicyLoader;
import io.ebm.core.slo.DurationShorthand;
import io.ebm.engine.AlertReplay;
import io.ebm.store.SqliteBudgetStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code replay}: the incidents and notices an alert configuration would have produced over past counts, from a
 * CSV export or the embedded store, at the calculator's cadence; with {@code --compare}, two policies side by
 * side over the same counts. Nothing is written, nobody is told.
 */
final class ReplayCommand {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration MAX_SPAN = Duration.ofDays(400);

    private ReplayCommand() {
    }

    static int run(List<String> args, PrintStream out) {
        Options o = new Options(args, Set.of("slo", "data", "db", "policy", "compare", "every", "from", "to",
                "format"), "replay");
        Path sloPath = Path.of(o.required("slo", "replay"));
        String format = PastCounts.checkedOptions(o, "replay");
        Duration every = o.duration("every", Duration.ofMinutes(5));
        if (every.toMinutes() < 1 || every.toMinutes() > 60 || every.getSeconds() % 60 != 0) {
            throw new UsageException("replay: --every must be whole minutes from 1m to 1h, got "
                    + DurationShorthand.ofMinutes(every.toMinutes()));
        }
        SloDefinitions definitions = OpenSloLoader.load(sloPath);
        List<Policy> policies = new ArrayList<>();
        policies.add(o.get("policy") == null ? Policy.NONE : PolicyLoader.load(Path.of(o.get("policy"))));
        if (o.get("compare") != null) {
            policies.add(PolicyLoader.load(Path.of(o.get("compare"))));
        }
        List<AlertReplay> replays = policies.stream().map(p -> new AlertReplay(definitions, p, every)).toList();
        Instant from = o.instant("from", null);
        Instant to = o.instant("to", null);
        Instant end = o.get("data") != null ? fromCsv(Path.of(o.get("data")), replays, from, to)
                : fromStore(Path.of(o.get("db")), replays, from, to);
        List<AlertReplay.Result> results = replays.stream().map(r -> r.finish(end)).toList();
        if (format.equals("json")) {
            out.println(json(results, policies));
        } else {
            text(out, results, policies, definitions);
        }
        return 0;
    }

    /** Feeds the CSV's rows in [from, to) to every replay; returns where the replay ends. */
    private static Instant fromCsv(Path data, List<AlertReplay> replays, Instant from, Instant to) {
        AlertReplay first = replays.get(0);
        return PastCounts.fromCsv(data, first.dataKeys(), from, to,
                (key, minute, counts) -> replays.forEach(r -> r.add(key, minute, counts)));
    }

    /** Feeds the store's counts a day at a time; to defaults to its newest snapshot, from to 30 days before. */
    private static Instant fromStore(Path db, List<AlertReplay> replays, Instant from, Instant to) {
        try (SqliteBudgetStore store = PastCounts.open("replay", db)) {
            PastCounts.Span span = PastCounts.span("replay", store, db, from, to, Duration.ofDays(30), MAX_SPAN);
            PastCounts.fromStore(store, replays.get(0).dataKeys(), span,
                    (key, minute, counts) -> replays.forEach(r -> r.add(key, minute, counts)));
            return span.to();
        }
    }

    private static void text(PrintStream out, List<AlertReplay.Result> results, List<Policy> policies,
                             SloDefinitions definitions) {
        AlertReplay.Result a = results.get(0);
        out.printf(Locale.ROOT, "replay: %d SLOs from %s to %s, an evaluation every %s; policy %s%s%n",
                definitions.slos().size(), Human.time(a.from()), Human.time(a.to()),
                DurationShorthand.ofMinutes(a.every().toMinutes()), policies.get(0).name(),
                results.size() > 1 ? " (A) against " + policies.get(1).name() + " (B)" : "");
        out.println();
        if (results.size() == 1) {
            out.printf(Locale.ROOT, "%-40s %9s %7s %5s %5s%n", "SLO", "incidents", "notices", "pages", "flaps");
            for (AlertReplay.Budget b : a.budgets()) {
                out.printf(Locale.ROOT, "%-40s %9d %7d %5d %5d%n", b.name(), b.incidents().size(), b.notices(),
                        b.pages(), b.flaps());
            }
            out.printf(Locale.ROOT, "%-40s %9d %7d %5d %5d%n", "all SLOs", a.incidents(), a.notices(), a.pages(),
                    a.flaps());
        } else {
            AlertReplay.Result b = results.get(1);
            out.printf(Locale.ROOT, "%-40s %13s %13s %11s %11s%n", "SLO", "incidents A/B", "notices A/B", "pages A/B",
                    "flaps A/B");
            for (int i = 0; i < a.budgets().size(); i++) {
                AlertReplay.Budget x = a.budgets().get(i);
                AlertReplay.Budget y = b.budgets().get(i);
                out.printf(Locale.ROOT, "%-40s %13s %13s %11s %11s%n", x.name(), x.incidents().size() + "/"
                        + y.incidents().size(), x.notices() + "/" + y.notices(), x.pages() + "/" + y.pages(),
                        x.flaps() + "/" + y.flaps());
            }
            out.printf(Locale.ROOT, "%-40s %13s %13s %11s %11s%n", "all SLOs", a.incidents() + "/" + b.incidents(),
                    a.notices() + "/" + b.notices(), a.pages() + "/" + b.pages(), a.flaps() + "/" + b.flaps());
        }
        for (int r = 0; r < results.size(); r++) {
            out.println();
            out.println("Incidents" + (results.size() > 1 ? " under " + (r == 0 ? "A" : "B") + " ("
                    + policies.get(r).name() + ")" : ""));
            for (AlertReplay.Budget b : results.get(r).budgets()) {
                for (Incident i : b.incidents()) {
                    out.printf(Locale.ROOT, "  %-34s %-6s %-7s %s to %-16s %8s  %s%s%n", b.name(), i.severity(),
                            i.kind() == Incident.Kind.NO_DATA ? "no data" : "burn", Human.time(i.openedAt()),
                            i.resolvedAt() == null ? "(open)" : Human.time(i.resolvedAt()),
                            io.ebm.core.Human.duration(Duration.between(i.openedAt(),
                                    i.resolvedAt() == null ? results.get(r).to() : i.resolvedAt())),
                            String.join(", ", i.tiers()), i.flap() ? "  (flap)" : "");
                }
            }
        }
    }

    private static String json(List<AlertReplay.Result> results, List<Policy> policies) {
        ObjectNode root = JSON.createObjectNode();
        AlertReplay.Result first = results.get(0);
        root.put("from", first.from().toString());
        root.put("to", first.to().toString());
        root.put("every", DurationShorthand.ofMinutes(first.every().toMinutes()));
        ArrayNode runs = root.putArray("runs");
        for (int r = 0; r < results.size(); r++) {
            AlertReplay.Result result = results.get(r);
            ObjectNode run = runs.addObject();
            run.put("policy", policies.get(r).name());
            ObjectNode totals = run.putObject("totals");
            totals.put("incidents", result.incidents());
            totals.put("notices", result.notices());
            totals.put("pages", result.pages());
            totals.put("flaps", result.flaps());
            ArrayNode budgets = run.putArray("budgets");
            for (AlertReplay.Budget b : result.budgets()) {
                ObjectNode n = budgets.addObject();
                n.put("name", b.name());
                n.put("service", b.service());
                n.put("notices", b.notices());
                n.put("pages", b.pages());
                n.put("flaps", b.flaps());
                n.put("evaluations", b.evaluations());
                ArrayNode incidents = n.putArray("incidents");
                b.incidents().forEach(i -> incidents.add(IncidentJson.node(i)));
            }
        }
        return root.toString();
    }
}
