package io.ebm.core.openslo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ebm.core.alert.AlertTier;
import io.ebm.core.slo.BudgetingMethod;
import io.ebm.core.slo.CalendarWindow;
import io.ebm.core.slo.Indicator;
import io.ebm.core.slo.RollingWindow;
import io.ebm.core.slo.Slo;
import io.ebm.core.yaml.DefinitionException;
import io.ebm.core.yaml.Problem;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OpenSloLoaderTest {

    private static final Path SAMPLES = Path.of("../../events/slos");

    @TempDir
    Path dir;

    // ------------------------------------------------------------------ the samples

    @Test
    void loadsTheSampleSlosWithTheirValues() {
        SloDefinitions d = OpenSloLoader.load(SAMPLES);
        assertThat(d.slos()).extracting(Slo::name).containsExactlyInAnyOrder("api-availability", "api-latency",
                "checkout-journey", "payments-monthly", "search-timeslices");

        Slo api = d.slo("api-availability").orElseThrow();
        assertThat(api.service()).isEqualTo("checkout-api");
        assertThat(api.objectives().get(0).target()).isEqualByComparingTo("0.999");
        assertThat(api.window()).isEqualTo(new RollingWindow(io.ebm.core.slo.DurationShorthand.parse("30d")));
        assertThat(api.indicator().kind()).isEqualTo(Indicator.Kind.RATIO);
        assertThat(api.indicator().bad().cloudWatch().metricName()).isEqualTo("HTTPCode_Target_5XX_Count");
        assertThat(api.indicator().bad().cloudWatch().dimensions())
                .containsEntry("LoadBalancer", "app/checkout-prod/50dc6c495c0c9188");
        assertThat(api.indicator().bad().type()).isEqualTo("CloudWatch"); // from the DataSource
        assertThat(api.annotations()).containsKey("runbook");
        assertThat(api.collectableFromCloudWatch()).isTrue();

        Slo latency = d.slo("api-latency").orElseThrow();
        assertThat(latency.objectives().get(0).target()).isEqualByComparingTo("0.99"); // targetPercent 99
        assertThat(latency.indicator().good().cloudWatch().statistic()).isEqualTo("TC(:0.3)");

        Slo search = d.slo("search-timeslices").orElseThrow();
        assertThat(search.budgetingMethod()).isEqualTo(BudgetingMethod.TIMESLICES);
        assertThat(search.objectives().get(0).timeSliceTarget()).isEqualByComparingTo("0.95");
        assertThat(search.objectives().get(0).timeSliceWindow().toMinutes()).isEqualTo(1);

        Slo payments = d.slo("payments-monthly").orElseThrow();
        assertThat(payments.window()).isInstanceOf(CalendarWindow.class);
        assertThat(payments.collectableFromCloudWatch()).isFalse();
        assertThat(payments.alertWhenNoData()).isTrue();
        AlertTier tier = payments.alertTiers().get(0);
        assertThat(tier.burnRate()).isEqualByComparingTo("10");
        assertThat(tier.longWindowMinutes()).isEqualTo(60);
        assertThat(tier.shortWindowMinutes()).isEqualTo(5);
        assertThat(tier.severity()).isEqualTo("page");
        // the alert policy's targets and notify flags travel with its tier to the incident notices
        assertThat(tier.routing()).isEqualTo(new AlertTier.Notify(true, true, java.util.List.of("payments-oncall")));

        Slo journey = d.slo("checkout-journey").orElseThrow();
        assertThat(journey.isComposite()).isTrue();
        assertThat(journey.objectives()).extracting(o -> o.compositeWeight().intValue()).containsExactly(1, 2);
        assertThat(journey.objectives().get(0).indicator().good().cloudWatch().expression()).isEqualTo("total - errors");
        assertThat(journey.objectives().get(1).indicator().name()).isEqualTo("alb-availability");
    }

    // ------------------------------------------------------------------ bad files: one precise problem each

    private static final String SLI = """
            apiVersion: openslo/v1
            kind: SLI
            metadata:
              name: good-total
            spec:
              ratioMetric:
                good:
                  metricSource:
                    type: CloudWatch
                    spec: {namespace: App, metricName: Ok, stat: Sum}
                total:
                  metricSource:
                    type: CloudWatch
                    spec: {namespace: App, metricName: All, stat: Sum}
            ---
            """;

    /** An SLO document; {@code spec} replaces the whole spec body (indented by 2). */
    private static String slo(String spec) {
        return SLI + """
                apiVersion: openslo/v1
                kind: SLO
                metadata:
                  name: api
                spec:
                """ + spec.indent(2);
    }

    private static final String GOOD_SPEC = """
            service: api
            indicatorRef: good-total
            timeWindow:
              - duration: 30d
                isRolling: true
            budgetingMethod: Occurrences
            objectives:
              - target: 0.999
            """;

    private static String sloWith(String from, String to) {
        if (!GOOD_SPEC.contains(from)) {
            throw new IllegalArgumentException(from);
        }
        return slo(GOOD_SPEC.replace(from, to));
    }

    /** An SLI document after the SLO, with {@code spec} as its body. */
    private static String sli(String spec) {
        return slo(GOOD_SPEC.replace("good-total", "other")) + "---\n" + """
                apiVersion: openslo/v1
                kind: SLI
                metadata:
                  name: other
                spec:
                """ + spec.indent(2);
    }

    private static String cloudWatchGood(String goodSpec) {
        return sli("""
                ratioMetric:
                  good:
                    metricSource:
                      type: CloudWatch
                      spec:
                """ + goodSpec.indent(8) + """
                  total:
                    metricSource:
                      type: CloudWatch
                      spec: {namespace: App, metricName: All, stat: Sum}
                """);
    }

    private static Arguments bad(String name, String yaml, String field, String message) {
        return Arguments.of(name, yaml, field, message);
    }

    static Stream<Arguments> badInputs() {
        String composite = """
                service: journey
                timeWindow:
                  - duration: 7d
                    isRolling: true
                budgetingMethod: Occurrences
                objectives:
                  - name: a
                    target: 0.99
                    indicatorRef: good-total
                    compositeWeight: WEIGHT_A
                  - name: b
                    target: 0.99
                    indicatorRef: good-total
                    WEIGHT_B
                """;
        return Stream.of(
                bad("yaml syntax", "apiVersion: openslo/v1\nkind: [SLO\n", null, "syntax error at line"),
                bad("a list of scalars, not of documents", "- a\n", "", "expected a mapping with apiVersion"),
                bad("missing apiVersion", slo(GOOD_SPEC).replaceFirst("apiVersion: openslo/v1\nkind: SLO\n", "kind: SLO\n"),
                        "apiVersion", "required field is missing"),
                bad("wrong apiVersion", slo(GOOD_SPEC).replace("apiVersion: openslo/v1\nkind: SLO",
                        "apiVersion: openslo/v2alpha\nkind: SLO"), "apiVersion", "expected 'openslo/v1', got 'openslo/v2alpha'"),
                bad("unknown kind", slo(GOOD_SPEC).replace("kind: SLO", "kind: Slo"), "kind", "unknown kind 'Slo'"),
                bad("missing name", slo(GOOD_SPEC).replace("  name: api\n", "  displayName: API\n"), "metadata.name",
                        "required field is missing"),
                bad("name with capitals", slo(GOOD_SPEC).replace("name: api\n", "name: API_Availability\n"),
                        "metadata.name", "got 'API_Availability'"),
                bad("name too long", slo(GOOD_SPEC).replace("name: api\n", "name: " + "a".repeat(64) + "\n"),
                        "metadata.name", "at most 63"),
                bad("duplicate SLO", slo(GOOD_SPEC) + "---\n" + slo(GOOD_SPEC).substring(SLI.length()),
                        "metadata.name", "duplicate SLO name 'api'"),
                bad("missing spec", SLI + "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: api\n", "spec",
                        "required field is missing"),
                bad("missing service", sloWith("service: api\n", ""), "spec.service", "required field is missing"),
                bad("no indicator", sloWith("indicatorRef: good-total\n", ""), "spec",
                        "expected indicator or indicatorRef"),
                bad("indicator and indicatorRef", sloWith("indicatorRef: good-total\n",
                        "indicatorRef: good-total\nindicator: {metadata: {name: x}, spec: {}}\n"), "spec.indicator",
                        "either indicator or indicatorRef, not both"),
                bad("dangling indicatorRef", sloWith("indicatorRef: good-total", "indicatorRef: nope"),
                        "spec.indicatorRef", "no SLI named 'nope' is defined"),
                bad("missing budgetingMethod", sloWith("budgetingMethod: Occurrences\n", ""), "spec.budgetingMethod",
                        "required field is missing"),
                bad("misspelt budgetingMethod", sloWith("Occurrences", "Occurences"), "spec.budgetingMethod",
                        "unknown budgeting method 'Occurences'"),
                bad("missing objectives", sloWith("objectives:\n  - target: 0.999\n", ""), "spec.objectives",
                        "required field is missing"),
                bad("empty objectives", sloWith("objectives:\n  - target: 0.999\n", "objectives: []\n"),
                        "spec.objectives", "at least one objective"),
                bad("100% target", sloWith("target: 0.999", "target: 1.0"), "spec.objectives[0].target",
                        "a 100% target leaves no error budget"),
                bad("100 targetPercent", sloWith("target: 0.999", "targetPercent: 100"),
                        "spec.objectives[0].targetPercent", "leaves no error budget"),
                bad("negative target", sloWith("target: 0.999", "target: -0.1"), "spec.objectives[0].target",
                        "expected a number in [0, 1), got -0.1"),
                bad("percentage in target", sloWith("target: 0.999", "target: 99.9"), "spec.objectives[0].target",
                        "belongs in targetPercent"),
                bad("target and targetPercent", sloWith("target: 0.999", "target: 0.999\n    targetPercent: 99.9"),
                        "spec.objectives[0].target", "not both"),
                bad("no target", sloWith("target: 0.999", "displayName: x"), "spec.objectives[0].target",
                        "required: target in [0, 1) or targetPercent"),
                bad("target not a number", sloWith("target: 0.999", "target: high"), "spec.objectives[0].target",
                        "expected a number, got 'high'"),
                bad("two time windows", sloWith("  - duration: 30d\n    isRolling: true\n",
                        "  - duration: 30d\n    isRolling: true\n  - duration: 7d\n    isRolling: true\n"),
                        "spec.timeWindow", "exactly one time window, got 2"),
                bad("bad duration unit", sloWith("duration: 30d", "duration: 30x"), "spec.timeWindow[0].duration",
                        "expected a duration such as"),
                bad("zero duration", sloWith("duration: 30d", "duration: 0d"), "spec.timeWindow[0].duration",
                        "got '0d'"),
                bad("rolling month", sloWith("duration: 30d", "duration: 1M"), "spec.timeWindow[0].duration",
                        "months, quarters and years need a calendar"),
                bad("isRolling not a boolean", sloWith("isRolling: true", "isRolling: maybe"),
                        "spec.timeWindow[0].isRolling", "expected true or false"),
                bad("calendar without zone", sloWith("  - duration: 30d\n    isRolling: true\n",
                        "  - duration: 1M\n    calendar:\n      startTime: 2026-01-01 00:00:00\n"),
                        "spec.timeWindow[0].calendar.timeZone", "required field is missing"),
                bad("calendar with unknown zone", sloWith("  - duration: 30d\n    isRolling: true\n",
                        "  - duration: 1M\n    calendar:\n      startTime: 2026-01-01 00:00:00\n      timeZone: Mars/Olympus\n"),
                        "spec.timeWindow[0].calendar.timeZone", "IANA time zone"),
                bad("calendar with offset, not a zone", sloWith("  - duration: 30d\n    isRolling: true\n",
                        "  - duration: 1M\n    calendar:\n      startTime: 2026-01-01 00:00:00\n      timeZone: \"+02:00\"\n"),
                        "spec.timeWindow[0].calendar.timeZone", "IANA time zone"),
                bad("calendar with a bad start", sloWith("  - duration: 30d\n    isRolling: true\n",
                        "  - duration: 1M\n    calendar:\n      startTime: 2026-01-01\n      timeZone: UTC\n"),
                        "spec.timeWindow[0].calendar.startTime", "2020-01-21 12:30:00"),
                bad("timeslices without slice target", slo(GOOD_SPEC.replace("budgetingMethod: Occurrences",
                        "budgetingMethod: Timeslices").replace("target: 0.999", "target: 0.999\n    timeSliceWindow: 1m")),
                        "spec.objectives[0].timeSliceTarget", "required with budgetingMethod Timeslices"),
                bad("slice target above one", slo(GOOD_SPEC.replace("budgetingMethod: Occurrences", "budgetingMethod: Timeslices")
                        .replace("target: 0.999", "target: 0.999\n    timeSliceTarget: 1.5\n    timeSliceWindow: 1m")),
                        "spec.objectives[0].timeSliceTarget", "expected a number in (0, 1], got 1.5"),
                bad("timeslices without slice window", slo(GOOD_SPEC.replace("budgetingMethod: Occurrences",
                        "budgetingMethod: Timeslices").replace("target: 0.999", "target: 0.999\n    timeSliceTarget: 0.9")),
                        "spec.objectives[0].timeSliceWindow", "required with budgetingMethod Timeslices"),
                bad("slice window of a month", slo(GOOD_SPEC.replace("budgetingMethod: Occurrences", "budgetingMethod: RatioTimeslices")
                        .replace("target: 0.999", "target: 0.999\n    timeSliceWindow: 1M")),
                        "spec.objectives[0].timeSliceWindow", "fixed length"),
                bad("composite weight zero", slo(composite.replace("WEIGHT_A", "0").replace("WEIGHT_B", "compositeWeight: 1")),
                        "spec.objectives[0].compositeWeight", "greater than 0, got 0"),
                bad("composite weight negative", slo(composite.replace("WEIGHT_A", "-2").replace("WEIGHT_B",
                        "compositeWeight: 1")), "spec.objectives[0].compositeWeight", "greater than 0, got -2"),
                bad("duplicate objective names", slo(composite.replace("WEIGHT_A", "1")
                        .replace("WEIGHT_B", "compositeWeight: 1").replace("name: b", "name: a")),
                        "spec.objectives[1].name", "duplicate objective name 'a'"),
                bad("unknown SLO field", sloWith("service: api\n", "service: api\ndescripton: typo\n"),
                        "spec.descripton", "unknown field"),
                bad("description too long", sloWith("service: api\n", "service: api\ndescription: " + "x".repeat(1051) + "\n"),
                        "spec.description", "at most 1050 characters"),
                bad("SLI with ratio and threshold", sli("""
                        ratioMetric: {raw: {metricSource: {type: X}}, rawType: success}
                        thresholdMetric: {metricSource: {type: X}}
                        """), "spec", "exactly one of ratioMetric or thresholdMetric"),
                bad("SLI with neither", sli("description: nothing\n"), "spec",
                        "exactly one of ratioMetric or thresholdMetric"),
                bad("good and bad", sli("""
                        ratioMetric:
                          good: {metricSource: {type: X}}
                          bad: {metricSource: {type: X}}
                          total: {metricSource: {type: X}}
                        """), "spec.ratioMetric.bad", "either good or bad, not both"),
                bad("ratio without total", sli("""
                        ratioMetric:
                          good: {metricSource: {type: X}}
                        """), "spec.ratioMetric.total", "required field is missing"),
                bad("raw without rawType", sli("""
                        ratioMetric:
                          raw: {metricSource: {type: X}}
                        """), "spec.ratioMetric.rawType", "required field is missing"),
                bad("dangling metricSourceRef", sli("""
                        ratioMetric:
                          good: {metricSource: {metricSourceRef: prod}}
                          total: {metricSource: {type: X}}
                        """), "spec.ratioMetric.good.metricSource.metricSourceRef", "no DataSource named 'prod'"),
                bad("metric source without type", sli("""
                        ratioMetric:
                          good: {metricSource: {spec: {query: up}}}
                          total: {metricSource: {type: X}}
                        """), "spec.ratioMetric.good.metricSource.type", "required when no metricSourceRef"),
                bad("CloudWatch without namespace", cloudWatchGood("{metricName: Ok, stat: Sum}"),
                        "spec.ratioMetric.good.metricSource.spec.namespace", "required field is missing"),
                bad("CloudWatch unknown statistic", cloudWatchGood("{namespace: App, metricName: Ok, stat: Avg}"),
                        "spec.ratioMetric.good.metricSource.spec.stat", "expected a CloudWatch statistic"),
                bad("CloudWatch expression without metrics", cloudWatchGood("{expression: a - b}"),
                        "spec.ratioMetric.good.metricSource.spec.metrics", "required field is missing"),
                bad("CloudWatch math id", cloudWatchGood("""
                        expression: A - b
                        metrics:
                          - {id: A, namespace: App, metricName: Ok, stat: Sum}
                        """), "spec.ratioMetric.good.metricSource.spec.metrics[0].id", "lowercase letter"),
                bad("dangling alertPolicyRef", sloWith("service: api\n",
                        "service: api\nalertPolicies:\n  - alertPolicyRef: paging\n"),
                        "spec.alertPolicies[0].alertPolicyRef", "no AlertPolicy named 'paging'"),
                bad("burn-rate threshold negative", slo(GOOD_SPEC) + """
                        ---
                        apiVersion: openslo/v1
                        kind: AlertCondition
                        metadata: {name: fast}
                        spec:
                          severity: page
                          condition: {kind: burnrate, op: gt, threshold: -1, lookbackWindow: 1h, alertAfter: 0m}
                        """, "spec.condition.threshold", "0 or more, got -1"),
                bad("lookback of a month", slo(GOOD_SPEC) + """
                        ---
                        apiVersion: openslo/v1
                        kind: AlertCondition
                        metadata: {name: fast}
                        spec:
                          severity: page
                          condition: {kind: burnrate, op: gt, threshold: 2, lookbackWindow: 1M}
                        """, "spec.condition.lookbackWindow", "fixed length in m, h, d or w, got 1M"),
                bad("unknown condition kind", slo(GOOD_SPEC) + """
                        ---
                        apiVersion: openslo/v1
                        kind: AlertCondition
                        metadata: {name: fast}
                        spec:
                          severity: page
                          condition: {kind: errorrate, op: gt, threshold: 2, lookbackWindow: 1h}
                        """, "spec.condition.kind", "expected burnrate, got 'errorrate'"),
                bad("alert policy with two conditions", slo(GOOD_SPEC) + """
                        ---
                        apiVersion: openslo/v1
                        kind: AlertPolicy
                        metadata: {name: paging}
                        spec:
                          notificationTargets:
                            - {kind: AlertNotificationTarget, metadata: {name: pager}, spec: {target: sns}}
                          conditions:
                            - conditionRef: a
                            - conditionRef: b
                        """, "spec.conditions", "exactly one condition"),
                bad("threshold SLI objective without op", sli("""
                        thresholdMetric:
                          metricSource: {type: X}
                        """).replace("    - target: 0.999\n", "    - target: 0.999\n      value: 300\n"),
                        "spec.objectives[0].op", "required with a thresholdMetric SLI"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void eachBadInputGivesOnePreciseProblem(String name, String yaml, String field, String message) throws IOException {
        Path file = dir.resolve("slos.yaml");
        Files.writeString(file, yaml);
        DefinitionException e = catchThrowableOfType(DefinitionException.class, () -> OpenSloLoader.load(file));
        assertThat(e).as("no problem reported for: %s", name).isNotNull();
        assertThat(e.problems()).as(e.getMessage()).hasSize(1);
        Problem p = e.problems().get(0);
        assertThat(p.file()).isEqualTo(file.toString());
        assertThat(p.document()).as("document").startsWith("document ");
        assertThat(p.field()).isEqualTo(field);
        assertThat(p.message()).contains(message);
    }

    @Test
    void thereAreAtLeastFortyDistinctBadInputs() {
        assertThat(badInputs().map(a -> a.get()[0]).distinct().count()).isGreaterThanOrEqualTo(40);
    }

    @Test
    void problemsNameTheDocumentByKindAndName() throws IOException {
        Path file = dir.resolve("slos.yaml");
        Files.writeString(file, sloWith("target: 0.999", "target: 1"));
        DefinitionException e = catchThrowableOfType(DefinitionException.class, () -> OpenSloLoader.load(file));
        assertThat(e.problems().get(0).document()).isEqualTo("document 2 (SLO api)");
        assertThat(e.getMessage()).isEqualTo(file + ": document 2 (SLO api): spec.objectives[0].target: "
                + "expected a number in [0, 1), got 1: a 100% target leaves no error budget");
    }

    @Test
    void aDirectoryLoadsAllOrNothingAndReportsEveryProblem() throws IOException {
        Files.writeString(dir.resolve("a-good.yaml"), slo(GOOD_SPEC));
        Files.writeString(dir.resolve("b-bad.yaml"), slo(GOOD_SPEC).replace("name: api", "name: web")
                .replace("name: good-total", "name: good-total-2").replace("target: 0.999", "target: 1"));
        Files.writeString(dir.resolve("c-bad.yaml"), slo(GOOD_SPEC).replace("name: api", "name: db")
                .replace("name: good-total", "name: good-total-3").replace("Occurrences", "Sometimes"));
        DefinitionException e = catchThrowableOfType(DefinitionException.class, () -> OpenSloLoader.load(dir));
        assertThat(e.problems()).extracting(Problem::file)
                .containsExactly(dir.resolve("b-bad.yaml").toString(), dir.resolve("c-bad.yaml").toString());
    }

    @Test
    void duplicateNamesAcrossFilesNameTheFirstDefinition() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), slo(GOOD_SPEC));
        Files.writeString(dir.resolve("b.yaml"), slo(GOOD_SPEC).substring(SLI.length()));
        DefinitionException e = catchThrowableOfType(DefinitionException.class, () -> OpenSloLoader.load(dir));
        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0).message()).contains("duplicate SLO name 'api'; first defined in "
                + dir.resolve("a.yaml"));
    }

    @Test
    void anEmptyDirectoryOrMissingPathIsAProblem() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertThatThrownBy(() -> OpenSloLoader.load(empty)).hasMessageContaining("found none");
        assertThatThrownBy(() -> OpenSloLoader.load(dir.resolve("missing.yaml")))
                .hasMessageContaining("no such file or directory");
    }

    @Test
    void anyMetricSourceTypeIsAcceptedAndAWindowDefaultsToFourWeeks() throws IOException {
        Path file = dir.resolve("prom.yaml");
        Files.writeString(file, slo(GOOD_SPEC.replace("timeWindow:\n  - duration: 30d\n    isRolling: true\n", ""))
                .replace("type: CloudWatch\n        spec: {namespace: App, metricName: Ok, stat: Sum}",
                        "type: Prometheus\n        spec: {query: 'sum(rate(ok[1m]))'}"));
        Slo s = OpenSloLoader.load(file).slos().get(0);
        assertThat(s.window()).isEqualTo(new RollingWindow(OpenSloLoader.DEFAULT_WINDOW));
        assertThat(s.indicator().good().type()).isEqualTo("Prometheus");
        assertThat(s.indicator().good().spec()).containsEntry("query", "sum(rate(ok[1m]))");
        assertThat(s.collectableFromCloudWatch()).isFalse();
        assertThat(s.objectives().get(0).target()).isEqualTo(new BigDecimal("0.999"));
    }
}
