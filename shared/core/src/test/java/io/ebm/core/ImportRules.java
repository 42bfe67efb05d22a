package io.ebm.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which way the arrows between modules go, checked on a module's own sources: every import (static ones too)
 * and every fully qualified name in code is held against the packages the module must not reach.
 */
public final class ImportRules {

    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    private ImportRules() {
    }

    /**
     * Fails, naming each file and what it reaches, when a source under {@code src/main/java} of the module under
     * test imports or names a package starting with one of {@code forbidden}. A module with fewer than
     * {@code minimumFiles} sources fails too, so that a wrong directory cannot pass by being empty.
     */
    public static void assertNoneReach(int minimumFiles, String... forbidden) {
        List<String> offenders = new ArrayList<>();
        int files = 0;
        try (Stream<Path> walk = Files.walk(Path.of("src/main/java"))) {
            for (Path p : walk.filter(f -> f.toString().endsWith(".java")).toList()) {
                files++;
                String text = Files.readString(p);
                for (String prefix : forbidden) {
                    Matcher m = IMPORT.matcher(text);
                    while (m.find()) {
                        if (m.group(1).startsWith(prefix)) {
                            offenders.add(p + " imports " + m.group(1));
                        }
                    }
                    String code = IMPORT.matcher(text).replaceAll("");
                    if (Pattern.compile("(?<![\\w.])" + Pattern.quote(prefix)).matcher(code).find()) {
                        offenders.add(p + " names " + prefix + "… in its code");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(offenders).isEmpty();
        assertThat(files).as("sources under src/main/java").isGreaterThanOrEqualTo(minimumFiles);
    }
}
