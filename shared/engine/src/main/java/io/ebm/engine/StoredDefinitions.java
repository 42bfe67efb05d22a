package io.ebm.engine;

import io.ebm.core.openslo.OpenSloLoader;
import io.ebm.core.port.StructuredLog;
import io.ebm.core.slo.Slo;
import io.ebm.core.store.BudgetStore;
import io.ebm.core.store.Definition;
import io.ebm.core.yaml.DefinitionException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The SLO definitions kept in the store, as the functions load them. */
public final class StoredDefinitions {

    private StoredDefinitions() {
    }

    /**
     * All stored definitions. When some do not load, the files with problems are set aside (and logged) and the
     * rest is loaded again: a file that only referred to a set-aside one goes in the next round.
     */
    public static List<Slo> load(BudgetStore store, StructuredLog log) {
        return parse(store.definitions(), log);
    }

    /** {@link #load} of definitions already read. */
    public static List<Slo> parse(List<Definition> definitions, StructuredLog log) {
        Map<String, String> texts = new LinkedHashMap<>();
        definitions.stream().filter(d -> !d.isRemoved() && !d.name().startsWith(Definition.POLICY_PREFIX))
                .forEach(d -> texts.put(d.name(), d.document()));
        while (!texts.isEmpty()) {
            try {
                return OpenSloLoader.loadTexts(texts).slos();
            } catch (DefinitionException e) {
                Map<String, List<String>> byFile = new LinkedHashMap<>();
                e.problems().forEach(p -> byFile.computeIfAbsent(p.file(), f -> new ArrayList<>()).add(p.toString()));
                byFile.forEach((file, problems) -> {
                    texts.remove(file);
                    log.error("definition skipped", Map.of("definition", file, "problems", problems));
                });
            }
        }
        return List.of();
    }

    /** The stored error-budget policy ({@code policy/…}; a deployment holds one), or no rules at all. */
    public static io.ebm.core.policy.Policy policy(BudgetStore store) {
        return store.definitions().stream().filter(d -> !d.isRemoved() && d.name().startsWith(Definition.POLICY_PREFIX))
                .findFirst()
                .map(d -> io.ebm.core.policy.PolicyLoader.loadText(d.name(), d.document()))
                .orElse(io.ebm.core.policy.Policy.NONE);
    }
}
