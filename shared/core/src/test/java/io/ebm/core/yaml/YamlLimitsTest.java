package io.ebm.core.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile or careless definition files fail at once, with the limit named, and nothing is read. */
class YamlLimitsTest {

    @TempDir
    Path dir;

    private List<Problem> read(String text) throws IOException {
        Path file = dir.resolve("slos.yaml");
        Files.writeString(file, text);
        List<Problem> problems = new ArrayList<>();
        assertThat(Yaml.documents(file, problems)).isEmpty();
        return problems;
    }

    @Test
    void aFileLargerThanTheLimitIsRefusedBeforeItIsParsed() throws IOException {
        List<Problem> p = read("description: " + "x".repeat(50 * 1024 * 1024) + "\n");
        assertThat(p).singleElement().satisfies(x -> assertThat(x.message())
                .startsWith("expected a definition file of at most 256 KiB (262144 bytes), got 52428814 bytes"));
        List<Problem> fromText = new ArrayList<>();
        assertThat(Yaml.documents("stored.yaml", "a: " + "x".repeat(300_000), fromText)).isEmpty();
        assertThat(fromText).singleElement().satisfies(x -> assertThat(x.message()).contains("at most 256 KiB"));
    }

    @Test
    void aValueLongerThanTheLimitIsRefused() throws IOException {
        assertThat(read("apiVersion: openslo/v1\ndescription: " + "x".repeat(70_000) + "\n"))
                .singleElement().satisfies(x -> assertThat(x.message())
                        .startsWith("expected a document within the definition reader's limits (values of at most 65536 characters"));
    }

    @Test
    void nestingDeeperThanTheLimitIsRefused() throws IOException {
        String deep = "[".repeat(200) + "]".repeat(200) + "\n";
        assertThat(read("k: " + deep)).singleElement().satisfies(x -> assertThat(x.message()).contains("64"));
    }

    @Test
    void aliasesAreRefusedEvenUnderAnUnknownKey() throws IOException {
        StringBuilder laughs = new StringBuilder("apiVersion: openslo/v1\nkind: Service\nmetadata: {name: web}\n"
                + "ignored:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        String previous = "a";
        for (char c = 'b'; c <= 'i'; c++) {
            laughs.append("  ").append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) {
                laughs.append(i > 0 ? ", " : "").append('*').append(previous);
            }
            laughs.append("]\n");
            previous = String.valueOf(c);
        }
        assertThat(read(laughs.toString())).singleElement().satisfies(x ->
                assertThat(x.message()).contains("YAML aliases (*a) are not accepted in definitions"));
    }
}
