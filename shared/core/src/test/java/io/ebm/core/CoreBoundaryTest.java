package io.ebm.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The domain core speaks the domain: no AWS SDK, no Lambda types. Adapters live elsewhere. */
class CoreBoundaryTest {

    @Test
    void coreSourcesImportNoAwsSdk() throws IOException {
        List<String> offenders;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> {
                        try {
                            String text = Files.readString(p);
                            return text.contains("import software.amazon") || text.contains("import com.amazonaws");
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .map(Path::toString).toList();
        }
        assertThat(offenders).isEmpty();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            assertThat(files.filter(p -> p.toString().endsWith(".java")).count()).isGreaterThan(20);
        }
    }

    @Test
    void coreReachesNoOtherModule() {
        ImportRules.assertNoneReach(50, "io.ebm.engine", "io.ebm.store", "io.ebm.aws", "io.ebm.local",
                "io.ebm.functions", "io.ebm.infra", "java.sql");
    }
}
