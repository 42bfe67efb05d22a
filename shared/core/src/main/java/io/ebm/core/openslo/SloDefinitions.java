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
 */
public record SloDefinitions(List<Slo> slos, Map<String, Map<String, Integer>> documentsByFile) {

    public SloDefinitions {
        slos = List.copyOf(slos);
        documentsByFile = Map.copyOf(documentsByFile);
    }

    public Optional<Slo> slo(String name) {
        return slos.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
