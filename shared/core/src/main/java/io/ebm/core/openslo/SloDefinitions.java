package io.ebm.core.openslo;

import io.ebm.core.slo.Slo;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a load of OpenSLO files produced.
 *
 * @param slos           every SLO, in file order
 * @param documentsByFile how many documents of each kind each file held, for summaries
 * @param warnings       what is valid OpenSLO but not used here (a foreign CloudWatch shape, a reference left to
 *                       files not given)
 */
public record SloDefinitions(List<Slo> slos, Map<String, Map<String, Integer>> documentsByFile,
                             List<io.ebm.core.yaml.Problem> warnings) {

    public SloDefinitions {
        slos = List.copyOf(slos);
        documentsByFile = Map.copyOf(documentsByFile);
        warnings = List.copyOf(warnings);
    }

    public SloDefinitions(List<Slo> slos, Map<String, Map<String, Integer>> documentsByFile) {
        this(slos, documentsByFile, List.of());
    }

    public Optional<Slo> slo(String name) {
        return slos.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
