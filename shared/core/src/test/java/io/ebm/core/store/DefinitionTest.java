package io.ebm.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ebm.core.yaml.DefinitionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Definitions checked as they are to be stored: OpenSLO files together, policies by themselves. */
class DefinitionTest {

    private static Map<String, String> samples() throws IOException {
        Map<String, String> files = new TreeMap<>();
        for (String f : new String[] {"checkout-api.yaml", "checkout-journey.yaml", "payments.yaml", "search.yaml"}) {
            files.put(f, Files.readString(Path.of("../../events/slos", f)));
        }
        files.put(Definition.policyName("default-policy.yaml"),
                Files.readString(Path.of("../../events/policies/default-policy.yaml")));
        return files;
    }

    @Test
    void theSamplesPassAndAFileMayReferToAnother() throws IOException {
        Map<String, String> files = samples();
        Definition.validateAll(files); // checkout-journey.yaml uses the SLI defined in checkout-api.yaml
        files.remove("checkout-api.yaml");
        assertThatThrownBy(() -> Definition.validateAll(files)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("checkout-journey.yaml").hasMessageContaining("alb-availability");
    }

    @Test
    void aBadPolicyIsNamedByItsStoredName() throws IOException {
        Map<String, String> files = samples();
        files.put("policy/default-policy.yaml", files.get("policy/default-policy.yaml")
                .replace("onNoData: failClosed", "onNoData: sometimes"));
        assertThatThrownBy(() -> Definition.validateAll(files)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("policy/default-policy.yaml").hasMessageContaining("onNoData");
        assertThat(Definition.policyName("p.yaml")).isEqualTo("policy/p.yaml");
    }
}
