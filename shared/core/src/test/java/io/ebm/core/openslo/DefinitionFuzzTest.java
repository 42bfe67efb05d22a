package io.ebm.core.openslo;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebm.core.policy.PolicyLoader;
import io.ebm.core.yaml.DefinitionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded mutations of the sample definitions and policy (characters dropped, doubled and replaced, lines moved,
 * values swapped for other kinds of values): every one loads or is refused with problems, nothing else.
 */
class DefinitionFuzzTest {

    static final String[] VALUES = {"", "~", "[]", "{}", "-1", "0", "1e309", "9".repeat(30), "true", "&a x", "*a",
        "!!binary AAAA", "\"\\u0000\"", "'", "[[[[", "? x", "0x1F", "2026-13-40", "1M", "-5m", "NaN", "<img>"};

    static String mutate(String text, Random r) {
        StringBuilder sb = new StringBuilder(text);
        int edits = 1 + r.nextInt(4);
        for (int i = 0; i < edits && sb.length() > 0; i++) {
            int at = r.nextInt(sb.length());
            switch (r.nextInt(5)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, sb.charAt(r.nextInt(sb.length())));
                case 2 -> sb.setCharAt(at, (char) (32 + r.nextInt(95)));
                case 3 -> {
                    // a value replaced: after the colon of a line
                    int colon = sb.indexOf(": ", at);
                    int eol = colon < 0 ? -1 : sb.indexOf("\n", colon);
                    if (eol > colon) {
                        sb.replace(colon + 2, eol, VALUES[r.nextInt(VALUES.length)]);
                    }
                }
                default -> {
                    List<String> lines = new ArrayList<>(List.of(sb.toString().split("\n", -1)));
                    int a = r.nextInt(lines.size());
                    int b = r.nextInt(lines.size());
                    String line = lines.remove(a);
                    lines.add(b, line);
                    sb.setLength(0);
                    sb.append(String.join("\n", lines));
                }
            }
        }
        return sb.toString();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void everyMutationLoadsOrIsRefusedWithProblems(long seed) throws Exception {
        Random r = new Random(seed);
        List<String> samples = new ArrayList<>();
        for (Path f : Files.list(Path.of("../../events/slos")).sorted().toList()) {
            samples.add(Files.readString(f));
        }
        String policy = Files.readString(Path.of("../../events/policies/default-policy.yaml"));
        int refused = 0;
        for (int i = 0; i < 500; i++) {
            String text = mutate(samples.get(r.nextInt(samples.size())), r);
            try {
                OpenSloLoader.loadTexts(Map.of("fuzz.yaml", text));
            } catch (DefinitionException e) {
                refused++;
                assertThat(e.problems()).isNotEmpty();
            }
            try {
                PolicyLoader.loadText("fuzz-policy.yaml", mutate(policy, r));
            } catch (DefinitionException e) {
                assertThat(e.problems()).isNotEmpty();
            }
        }
        assertThat(refused).as("mutations refused").isGreaterThan(100);
    }
}
