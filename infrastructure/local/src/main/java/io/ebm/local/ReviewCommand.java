package io.ebm.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ebm.core.incident.Incident;
import io.ebm.core.openslo.OpenSloLoader;
import io.ebm.core.openslo.SloDefinitions;
import io.ebm.core.policy.Policy;
import io.ebm.core.policy.PolicyLoader;
import io.ebm.engine.AlertReplay;
import io.ebm.engine.review.TargetReview;
import io.ebm.store.SqliteBudgetStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code review}: every SLO's target against what users got, month by month, with a suggestion and the YAML change
 * it would take. Reads a CSV export (pages from a replay at the calculator's cadence) or the embedded store (pages
 * from the stored incidents). Never writes a file.
 */
final class ReviewCommand {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration MAX_SPAN = Duration.ofDays(400);
    static final Duration DEFAULT_SPAN = Duration.ofDays(92);

    private ReviewCommand() {
    }

    static int run(List<String> args, PrintStream out) {
        Options o = new Options(args, Set.of("slo", "data", "db", "policy", "from", "to", "format"), "review");
        Path sloPath = Path.of(o.required("slo", "review"));
        String format = PastCounts.checkedOptions(o, "review");
        Instant from = o.instant("from", null);
        Instant to = o.instant("to", null);
        SloDefinitions definitions = OpenSloLoader.load(sloPath);
        Policy policy = o.get("policy") == null ? Policy.NONE : PolicyLoader.load(Path.of(o.get("policy")));
        TargetReview review = new TargetReview(definitions.slos(), policy);
        Map<String, List<Incident>> incidents = new HashMap<>();
        Instant end;
        if (o.get("data") != null) {
            AlertReplay replay = new AlertReplay(definitions, policy, Duration.ofMinutes(5));
            end = PastCounts.fromCsv(Path.of(o.get("data")), review.dataKeys(), from, to,
                    (key, minute, counts) -> {
                        review.add(key, minute, counts);
                        replay.add(key, minute, counts);
                    });
            replay.finish(end).budgets().forEach(b -> incidents.put(b.name(), b.incidents()));
        } else {
            Path db = Path.of(o.get("db"));
            try (SqliteBudgetStore store = PastCounts.open("review", db)) {
                PastCounts.Span span = PastCounts.span("review", store, db, from, to, DEFAULT_SPAN, MAX_SPAN);
                PastCounts.fromStore(store, review.dataKeys(), span, review::add);
                end = span.to();
                for (String budget : review.budgetNames()) {
                    incidents.put(budget, store.incidents(budget, span.from(), span.to()));
                }
            }
        }
        List<TargetReview.Budget> budgets = review.finish(end, incidents);
        out.print(format.equals("json") ? json(budgets) + "\n" : TargetReview.text(budgets));
        return 0;
    }

    static String json(List<TargetReview.Budget> budgets) {
        ArrayNode out = JSON.createArrayNode();
        for (TargetReview.Budget b : budgets) {
            ObjectNode n = out.addObject();
            n.put("name", b.name());
            n.put("service", b.service());
            n.put("file", b.file());
            n.put("target", b.target());
            ArrayNode months = n.putArray("months");
            for (TargetReview.Month m : b.months()) {
                ObjectNode mm = months.addObject();
                mm.put("month", m.month().toString());
                mm.put("complete", m.complete());
                mm.put("achieved", m.achieved());
                mm.put("spent", m.spent());
                mm.put("events", m.events());
                mm.put("pages", m.pages());
            }
            ObjectNode s = n.putObject("suggestion");
            s.put("kind", b.suggestion().kind().name());
            s.put("to", b.suggestion().to());
            s.put("reason", b.suggestion().reason());
            s.put("change", b.suggestion().change());
        }
        return out.toString();
    }
}
