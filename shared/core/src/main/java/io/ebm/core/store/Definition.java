package io.ebm.core.store;

import io.ebm.core.openslo.OpenSloLoader;
import io.ebm.core.policy.PolicyLoader;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One stored version of a definition document. */
public record Definition(String name, long version, String document, Instant storedAt) {

    /**
     * A definition taken out of the deployed set: its last version is empty, its earlier ones stay as history,
     * and the audit log says who removed it and when. Removed definitions gate nothing.
     */
    public boolean isRemoved() {
        return document.isEmpty();
    }

    /** Definitions named {@code policy/…} hold the error-budget policy, not OpenSLO documents. */
    public static final String POLICY_PREFIX = "policy/";

    /** The stored name of a policy file. */
    public static String policyName(String fileName) {
        return POLICY_PREFIX + fileName;
    }

    /**
     * Checks documents as they are to be stored, by name, before any is: the OpenSLO ones together (they refer
     * to each other), each policy on its own. The first bad one throws, naming file, document and field.
     */
    public static void validateAll(Map<String, String> documentsByName) {
        List<String> policies = documentsByName.keySet().stream().filter(n -> n.startsWith(POLICY_PREFIX)).sorted().toList();
        if (policies.size() > 1) {
            throw new io.ebm.core.yaml.DefinitionException(List.of(new io.ebm.core.yaml.Problem(policies.get(1), null, null,
                    "a deployment holds one error-budget policy, and " + policies.get(0) + " is one already: "
                            + "keep one of " + policies)));
        }
        Map<String, String> slos = new TreeMap<>();
        documentsByName.forEach((name, text) -> {
            if (name.startsWith(POLICY_PREFIX)) {
                PolicyLoader.loadText(name, text);
            } else {
                slos.put(name, text);
            }
        });
        if (!slos.isEmpty()) {
            OpenSloLoader.loadTexts(slos);
        }
    }
}
