package io.ebm.infra;

import io.ebm.core.policy.Policy;
import io.ebm.core.policy.PolicyLoader;
import io.ebm.core.store.Definition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The SLO and policy files a deployment stores, by stored name, read once and validated at synth: a bad file
 * stops {@code cdk synth} with the loader's message (file, document, field) before anything reaches AWS.
 */
record Definitions(Map<String, String> files, Policy policy) {

    static Definitions read(Path sloDirectory, Path policyFile) {
        Map<String, String> files = new TreeMap<>();
        String policyName = Definition.policyName(policyFile.getFileName().toString());
        try (Stream<Path> list = Files.list(sloDirectory)) {
            for (Path f : list.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted().toList()) {
                files.put(f.getFileName().toString(), Files.readString(f));
            }
            files.put(policyName, Files.readString(policyFile));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the definitions: " + e.getMessage(), e);
        }
        Definition.validateAll(files);
        return new Definitions(files, PolicyLoader.loadText(policyName, files.get(policyName)));
    }
}
