package io.ebm.local;

import io.ebm.core.openslo.OpenSloLoader;
import io.ebm.core.openslo.SloDefinitions;
import io.ebm.core.policy.Policy;
import io.ebm.core.policy.PolicyLoader;
import io.ebm.core.slo.Slo;
import io.ebm.core.yaml.DefinitionException;
import io.ebm.core.yaml.Problem;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code validate}: for CI on a repository of SLO files. Lists every problem (not only the first), or one
 * summary line per file saying which SLOs the collector can fetch from CloudWatch.
 */
final class ValidateCommand {

    private ValidateCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        Options o = new Options(args, Set.of("slo", "policy"), Set.of("allow-external-refs"), "validate");
        Path sloPath = Path.of(o.required("slo", "validate"));
        List<Problem> problems = new ArrayList<>();
        SloDefinitions definitions = null;
        Policy policy = null;
        try {
            definitions = OpenSloLoader.load(List.of(sloPath), o.flag("allow-external-refs"));
        } catch (DefinitionException e) {
            problems.addAll(e.problems());
        }
        if (o.get("policy") != null) {
            try {
                policy = PolicyLoader.load(Path.of(o.get("policy")));
            } catch (DefinitionException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            err.println(problems.size() + (problems.size() == 1 ? " problem" : " problems") + " found:");
            for (Problem p : problems) {
                err.println("  " + p);
            }
            return 2;
        }
        for (Problem w : definitions.warnings()) {
            err.println("warning: " + w);
        }
        for (Map.Entry<String, Map<String, Integer>> file : definitions.documentsByFile().entrySet()
                .stream().sorted(Map.Entry.comparingByKey()).toList()) {
            String kinds = file.getValue().entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                    .collect(Collectors.joining(", "));
            String slos = definitions.slos().stream().filter(s -> s.sourceFile().equals(file.getKey()))
                    .map(ValidateCommand::collectable).collect(Collectors.joining("; "));
            out.println(file.getKey() + ": valid (" + (kinds.isEmpty() ? "no documents" : kinds) + ")"
                    + (slos.isEmpty() ? "" : " — " + slos));
        }
        if (policy != null) {
            out.println(o.get("policy") + ": valid (policy " + policy.name() + ", " + policy.rules().size()
                    + " rules, " + policy.exclusions().size() + " exclusions, " + policy.overrides().size()
                    + " overrides)");
        }
        return 0;
    }

    private static String collectable(Slo s) {
        return s.name() + ": " + (s.collectableFromCloudWatch() ? "collected from CloudWatch"
                : "evaluated from exported data only (source not CloudWatch)");
    }
}
