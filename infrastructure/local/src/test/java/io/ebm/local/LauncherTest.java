package io.ebm.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher script's JVM options, run with a stand-in {@code java} on the PATH that prints what it was given:
 * C1 for the short commands, C2 for a demo at ticks under five minutes, the JVM's defaults for serve.
 */
class LauncherTest {

    @TempDir
    Path dir;

    @BeforeEach
    void layout() throws Exception {
        Files.copy(Path.of("ebm"), dir.resolve("ebm"));
        Files.createDirectories(dir.resolve("target"));
        Files.writeString(dir.resolve("target/ebm.jar"), "");
        Files.writeString(dir.resolve("target/ebm-demo.jsa"), "");
        Files.writeString(dir.resolve("target/ebm-evaluate.jsa"), "");
        // the archives are newer than the jar: the launcher maps them
        Files.setLastModifiedTime(dir.resolve("target/ebm.jar"), FileTime.from(Instant.now().minusSeconds(60)));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        // prints what it was given, writes the archive it is asked to, and exits with FAKE_EXIT
        Files.writeString(bin.resolve("java"), "#!/bin/sh\nfor a in \"$@\"; do case \"$a\" in "
                + "-XX:ArchiveClassesAtExit=*) : > \"${a#-XX:ArchiveClassesAtExit=}\" ;; esac; done\n"
                + "echo \"$@\"\nexit ${FAKE_EXIT:-0}\n");
        bin.resolve("java").toFile().setExecutable(true);
    }

    private String launch(String... args) throws Exception {
        return run(dir, dir.resolve("ebm").toString(), 0, args);
    }

    /** The launcher as {@code script} from {@code workingDirectory}, the stand-in java exiting with {@code exit}. */
    private String run(Path workingDirectory, String script, int exit, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", script));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true);
        pb.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
        pb.environment().put("FAKE_EXIT", String.valueOf(exit));
        Process p = pb.start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(exit);
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    @Test
    void shortCommandsAndTheDefaultDemoGetC1AndTheArchive() throws Exception {
        String jar = dir.resolve("target/ebm.jar").toString();
        String archive = dir.resolve("target/ebm-demo.jsa").toString();
        assertThat(launch("demo")).isEqualTo("-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:SharedArchiveFile="
                + archive + " -jar " + jar + " demo");
        assertThat(launch("demo", "--every", "5m")).contains("-XX:TieredStopAtLevel=1");
        assertThat(launch("evaluate", "--every", "1m")).contains("-XX:TieredStopAtLevel=1")
                .contains("-XX:SharedArchiveFile=" + dir.resolve("target/ebm-evaluate.jsa") + " ");
    }

    @Test
    void eachCommandGetsAnArchiveOfItsOwnWrittenByItsFirstRunThatSucceeds() throws Exception {
        // no archive for series yet: this run writes one, and the next run maps it
        assertThat(launch("series", "--slo", "x")).contains("-XX:ArchiveClassesAtExit=" + dir.resolve("target/ebm-series.jsa."));
        assertThat(dir.resolve("target/ebm-series.jsa")).exists();
        assertThat(launch("series")).contains("-XX:SharedArchiveFile=" + dir.resolve("target/ebm-series.jsa") + " ");
        // a run that fails may have stopped before loading what the command needs: its archive is thrown away
        assertThat(run(dir, dir.resolve("ebm").toString(), 2, "seed", "--bad")).contains("-XX:ArchiveClassesAtExit=");
        assertThat(dir.resolve("target/ebm-seed.jsa")).doesNotExist();
        // options before a command, or none, are not a command: no archive is named after them
        assertThat(launch("--version")).isEqualTo("-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar "
                + dir.resolve("target/ebm.jar") + " --version");
        try (var files = Files.list(dir.resolve("target"))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder("ebm.jar", "ebm-demo.jsa", "ebm-evaluate.jsa", "ebm-series.jsa");
        }
    }

    @Test
    void theJarAndItsArchiveAreNamedByAbsolutePathsWhereverTheLauncherIsStartedFrom() throws Exception {
        // the archive records the class path as given: a relative one would not match from another directory
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        String jar = dir.resolve("target/ebm.jar").toAbsolutePath().normalize().toString();
        String archive = dir.resolve("target/ebm-evaluate.jsa").toAbsolutePath().normalize().toString();
        assertThat(run(elsewhere, "../ebm", 0, "evaluate")).isEqualTo("-XX:+UseSerialGC -XX:TieredStopAtLevel=1 "
                + "-XX:SharedArchiveFile=" + archive + " -jar " + jar + " evaluate");
        assertThat(run(dir, "./ebm", 0, "serve")).isEqualTo("-jar " + jar + " serve");
    }

    @Test
    void aDemoAtTicksUnderFiveMinutesGetsC2WithTrimmedInliningAndNoOnStackCompilesByC2() throws Exception {
        for (String every : List.of("1m", "4m")) {
            String line = launch("demo", "--days", "2", "--every", every);
            assertThat(line).startsWith("-XX:+UseSerialGC -XX:MaxInlineLevel=9 -XX:InlineSmallCode=500 "
                    + "-XX:FreqInlineSize=150 -XX:Tier4BackEdgeThreshold=2000000000 ")
                    .doesNotContain("TieredStopAtLevel").endsWith("demo --days 2 --every " + every);
        }
    }

    @Test
    void serveGetsTheJvmDefaults() throws Exception {
        assertThat(launch("serve", "--port", "0")).isEqualTo("-jar " + dir.resolve("target/ebm.jar") + " serve --port 0");
    }
}
