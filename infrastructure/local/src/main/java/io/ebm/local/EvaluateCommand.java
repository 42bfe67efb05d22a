package io.ebm.local;

import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.openslo.OpenSloLoader;
import io.ebm.core.openslo.SloDefinitions;
import io.ebm.core.policy.Policy;
import io.ebm.core.policy.PolicyLoader;
import io.ebm.engine.Evaluation;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** {@code evaluate}: definitions and exported counts in, one report out; nothing printed on bad input. */
final class EvaluateCommand {

    private EvaluateCommand() {
    }

    static int run(List<String> args, PrintStream out) {
        Options o = new Options(args, Set.of("slo", "data", "policy", "at", "format", "deployments"), "evaluate");
        Path sloPath = Path.of(o.required("slo", "evaluate"));
        Path dataPath = Path.of(o.required("data", "evaluate"));
        String format = o.get("format") == null ? "json" : o.get("format");
        if (!format.equals("json") && !format.equals("text")) {
            throw new UsageException("evaluate: --format expects json or text, got '" + format + "'");
        }
        Instant at = o.instant("at", null);
        long before = at == null ? Long.MAX_VALUE : Math.floorDiv(at.getEpochSecond(), 60);
        // the definitions load on this thread while the reader parses the counts
        Evaluation[] loaded = new Evaluation[1];
        Evaluation.Feed[][] feeds = new Evaluation.Feed[1][];
        CountsCsv.Summary read = CountsCsv.scan(dataPath, CountsCsv.Order.PER_SERIES, () -> {
            SloDefinitions definitions = OpenSloLoader.load(sloPath);
            Policy policy = o.get("policy") == null ? Policy.NONE : PolicyLoader.load(Path.of(o.get("policy")));
            Evaluation e = new Evaluation(definitions, policy);
            if (o.get("deployments") != null) {
                Set<String> services = new java.util.TreeSet<>();
                definitions.slos().forEach(slo -> services.add(slo.service()));
                DeploymentsCsv.read(Path.of(o.get("deployments")), services).forEach(e::addDeployment);
            }
            loaded[0] = e;
            List<String> keys = List.copyOf(e.dataKeys());
            feeds[0] = keys.stream().map(e::feed).toArray(Evaluation.Feed[]::new);
            return keys;
        }, (series, minute, good, total) -> {
            if (minute < before) {
                try {
                    feeds[0][series].add(minute, new MinuteCounts(good, total));
                } catch (IllegalArgumentException e) {
                    // counts the budget cannot hold exactly (a window sum past 64 bits): named, nothing evaluated
                    throw new UsageException(dataPath + ": " + e.getMessage());
                }
            }
        });
        Evaluation evaluation = loaded[0];
        if (at == null) {
            if (read.rows() == 0) {
                throw new UsageException(dataPath + ": no data rows; give --at to evaluate an empty window");
            }
            at = Instant.ofEpochSecond((read.lastMinute() + 1) * 60);
        }
        Evaluation.Result result = evaluation.evaluate(at, List.of());
        boolean withPolicy = o.get("policy") != null;
        out.print(format.equals("json") ? JsonReport.render(result, withPolicy) + "\n"
                : TextReport.render(result, withPolicy));
        return 0;
    }
}
