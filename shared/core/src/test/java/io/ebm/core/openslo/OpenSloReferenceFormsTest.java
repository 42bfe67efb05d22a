package io.ebm.core.openslo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ebm.core.alert.AlertTier;
import io.ebm.core.alert.Comparison;
import io.ebm.core.slo.Slo;
import io.ebm.core.yaml.DefinitionException;
import io.ebm.core.yaml.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kinds of input the OpenSLO reference tools accept (a list of objects, JSON, every condition op, a Service
 * without spec, default composite weights, other tools' CloudWatch shapes, labels) and the kinds they refuse,
 * as the project's own files under {@code openslo-forms/}. An invalid file names, in its first line, the field
 * and the words of the one problem it must give.
 */
class OpenSloReferenceFormsTest {

    static final Path FORMS = Path.of("src/test/resources/openslo-forms");

    static Stream<Path> valid() throws IOException {
        return Files.list(FORMS.resolve("valid")).sorted();
    }

    static Stream<Path> invalid() throws IOException {
        return Files.list(FORMS.resolve("invalid")).sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void theReferenceFormsAreAccepted(Path file) {
        SloDefinitions d = OpenSloLoader.load(file);
        assertThat(d.documentsByFile().get(file.toString())).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void theInvalidFormsGiveOneProblemNamingTheField(Path file, @TempDir Path dir) throws IOException {
        String text = Files.readString(file).replace("DESCRIPTION", "x".repeat(1051));
        String[] expect = text.lines().findFirst().orElseThrow().replaceFirst("^# expect: ", "").split(" \\| ", 2);
        Path copy = dir.resolve(file.getFileName());
        Files.writeString(copy, text);
        DefinitionException e = catchThrowableOfType(DefinitionException.class, () -> OpenSloLoader.load(copy));
        assertThat(e).as("no problem reported").isNotNull();
        assertThat(e.problems()).as(e.getMessage()).hasSize(1);
        Problem p = e.problems().get(0);
        assertThat(p.field()).isEqualTo(expect[0]);
        assertThat(p.message()).contains(expect[1]);
    }

    @Test
    void aListOfObjectsIsReadItemByItem() {
        SloDefinitions d = OpenSloLoader.load(FORMS.resolve("valid/list-of-objects.yaml"));
        assertThat(d.documentsByFile().get(FORMS.resolve("valid/list-of-objects.yaml").toString()))
                .containsEntry("Service", 1).containsEntry("SLI", 1).containsEntry("SLO", 1);
        assertThat(d.slo("web-availability").orElseThrow().indicator().name()).isEqualTo("web-requests");
        assertThat(OpenSloLoader.load(FORMS.resolve("valid/list.json")).slo("json-slo")).isPresent();
    }

    @Test
    void everyConditionOpIsKeptForTheTierToCompareWith() {
        Slo slo = OpenSloLoader.load(FORMS.resolve("valid/condition-ops.yaml")).slo("with-every-op").orElseThrow();
        assertThat(slo.alertTiers()).extracting(AlertTier::name, AlertTier::op).containsExactly(
                org.assertj.core.groups.Tuple.tuple("any-burn", Comparison.GT),
                org.assertj.core.groups.Tuple.tuple("at-least-two", Comparison.GTE),
                org.assertj.core.groups.Tuple.tuple("quiet", Comparison.LT),
                org.assertj.core.groups.Tuple.tuple("at-most-one", Comparison.LTE));
        assertThat(slo.alertTiers().get(0).burnRate()).isZero();
    }

    @Test
    void aCompositeWithoutWeightsWeighsEachObjectiveOne() {
        Slo slo = OpenSloLoader.load(FORMS.resolve("valid/composite-default-weight.yaml")).slo("shop-journey")
                .orElseThrow();
        assertThat(slo.isComposite()).isTrue();
        assertThat(slo.objectives()).extracting(o -> o.compositeWeight().intValue()).containsExactly(1, 2);
    }

    @Test
    void anotherToolsCloudWatchShapeIsAcceptedButNotCollected() {
        SloDefinitions d = OpenSloLoader.load(FORMS.resolve("valid/foreign-cloudwatch.yaml"));
        assertThat(d.slo("lambda-errors").orElseThrow().collectableFromCloudWatch()).isFalse();
        assertThat(d.warnings()).hasSize(2).allSatisfy(w ->
                assertThat(w.message()).contains("evaluated from exported data only"));
    }

    @Test
    void referencesToOtherFilesAreWarningsWhenAskedFor(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("slo.yaml");
        Files.writeString(file, """
                apiVersion: openslo/v1
                kind: SLO
                metadata: {name: checkout}
                spec:
                  service: checkout
                  indicatorRef: defined-elsewhere
                  budgetingMethod: Occurrences
                  objectives: [{target: 0.99}]
                """);
        DefinitionException strict = catchThrowableOfType(DefinitionException.class, () -> OpenSloLoader.load(file));
        assertThat(strict.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("spec.indicatorRef");
            assertThat(p.message()).contains("no SLI named 'defined-elsewhere'").contains("--allow-external-refs");
        });
        SloDefinitions lenient = OpenSloLoader.load(List.of(file), true);
        assertThat(lenient.slos()).isEmpty(); // checked, but it cannot be evaluated without its SLI
        assertThat(lenient.warnings()).singleElement().satisfies(w ->
                assertThat(w.message()).contains("taken to be defined elsewhere"));
        assertThat(lenient.documentsByFile().get(file.toString())).containsEntry("SLO", 1);
    }
}
