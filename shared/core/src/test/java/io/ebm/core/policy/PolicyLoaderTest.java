package io.ebm.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ebm.core.budget.BudgetStatus;
import io.ebm.core.yaml.DefinitionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyLoaderTest {

    @TempDir
    Path dir;

    @Test
    void loadsTheSamplePolicy() {
        Policy p = PolicyLoader.load(Path.of("../../events/policies/default-policy.yaml"));
        assertThat(p.name()).isEqualTo("example-policy");
        assertThat(p.onNoData()).isEqualTo(Policy.NoData.FAIL_CLOSED);
        assertThat(p.settings().minimumEvents()).isEqualTo(1000);
        assertThat(p.tiers()).hasSize(4).allMatch(t -> t.enabled());
        assertThat(p.rules()).extracting(Rule::name).containsExactly("freeze-when-exhausted",
                "freeze-checkout-pipeline", "page-turns-off-risky-features", "freeze-production-if-exhaustion-near",
                "release-that-burns", "warn-on-low-budget");
        assertThat(p.rules().get(4).when().deploymentSpent()).isEqualTo(new Condition.DeploymentSpent(
                new java.math.BigDecimal("0.1"), Duration.ofHours(1)));
        assertThat(p.deploymentSpans()).containsExactly(Duration.ofHours(1));
        assertThat(p.deployments().pipelines()).containsEntry("checkout-pipeline", java.util.List.of("checkout-api"));
        assertThat(p.deployments().servicesOf("checkout/production")).containsExactly("checkout-api");
        assertThat(p.deployments().servicesOfPipeline("search-pipeline", java.util.Set.of("search")))
                .containsExactly("search");
        assertThat(p.deployments().servicesOfPipeline("other", java.util.Set.of("search"))).isEmpty();
        assertThat(p.rules().get(1).then()).containsExactly(
                new Action.FreezeReleases(null, "Production", "checkout-pipeline"));
        assertThat(p.flags()).isEqualTo(Policy.FlagBackend.appConfig("checkout", "production", "feature-flags",
                "AppConfig.AllAtOnce"));
        Rule freeze = p.rules().get(0);
        assertThat(freeze.when().status()).containsExactly(BudgetStatus.EXHAUSTED);
        assertThat(freeze.then().get(0)).isEqualTo(new Action.FreezeReleases(null, null));
        assertThat(p.rules().get(2).scope().services()).containsExactly("checkout-api");
        assertThat(p.rules().get(2).then().get(0)).isEqualTo(new Action.SetFeatureFlag("checkout-new-recommendations", false));
        assertThat(p.rules().get(3).when().exhaustionWithin()).isEqualTo(Duration.ofDays(2));
        assertThat(p.exclusions()).hasSize(2);
        assertThat(p.exclusions().get(1).recurrence().zone().getId()).isEqualTo("Europe/Paris");
        assertThat(p.overrides().get(0).author()).isEqualTo("alice@example.com");
        assertThat(p.alerting()).isEqualTo(new io.ebm.core.alert.AlertRules(null, new java.math.BigDecimal("0.1"),
                new io.ebm.core.alert.AlertRules.Grouping(io.ebm.core.alert.AlertRules.Grouping.By.METRIC, Duration.ZERO),
                Duration.ofMinutes(15)));
        assertThat(p.rules().get(0).then().get(2)).isEqualTo(new Action.Notify("release-managers",
                "Releases frozen until the service is back within its SLO", "ticket"));
    }

    @Test
    void alertingHoldsMarginsAndGroupingAreReadAndChecked() throws IOException {
        Path file = dir.resolve("alerting.yaml");
        Files.writeString(file, BASE.replace("  rules:", "  alerting:\n    resolveAfter: 10m\n    resolveMargin: 0.25\n"
                + "    noDataAfter: 0m\n    grouping: {by: service, interval: 2m}\n  rules:"));
        io.ebm.core.alert.AlertRules rules = PolicyLoader.load(file).alerting();
        assertThat(rules.resolveAfter()).isEqualTo(Duration.ofMinutes(10));
        assertThat(rules.resolveMargin()).isEqualByComparingTo("0.25");
        assertThat(rules.noDataAfter()).isZero();
        assertThat(rules.grouping().by()).isEqualTo(io.ebm.core.alert.AlertRules.Grouping.By.SERVICE);
        assertThat(rules.grouping().interval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(PolicyLoader.load(Path.of("../../events/policies/default-policy.yaml")).tiers()).hasSize(4);
        for (String[] bad : new String[][] {
            {"resolveMargin: 1", "spec.alerting.resolveMargin", "from 0 to below 1"},
            {"resolveMargin: -0.1", "spec.alerting.resolveMargin", "from 0 to below 1"},
            {"resolveAfter: 2d", "spec.alerting.resolveAfter", "at most 1d"},
            {"noDataAfter: soon", "spec.alerting.noDataAfter", "duration"},
            {"grouping: {by: team}", "spec.alerting.grouping.by", "service or metric"},
            {"grouping: {by: metric, interval: 2h}", "spec.alerting.grouping.interval", "at most 1h"},
            {"grouping: {by: metric, wait: 1m}", "spec.alerting.grouping.wait", "unknown field"}}) {
            Files.writeString(file, BASE.replace("  rules:", "  alerting:\n    " + bad[0] + "\n  rules:"));
            DefinitionException e = catchThrowableOfType(DefinitionException.class, () -> PolicyLoader.load(file));
            assertThat(e.problems()).as(bad[0]).singleElement().satisfies(pr -> {
                assertThat(pr.field()).isEqualTo(bad[1]);
                assertThat(pr.message()).contains(bad[2]);
            });
        }
    }

    private static final String BASE = """
            apiVersion: ebm/v1
            kind: ErrorBudgetPolicy
            metadata: {name: p}
            spec:
              rules:
                - name: r
                  when: {status: [EXHAUSTED]}
                  then:
                    - freezeReleases: {}
            """;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "wrong kind|kind: ErrorBudgetPolicy|kind: Policy|kind|expected 'ErrorBudgetPolicy'",
        "unknown status|[EXHAUSTED]|[BROKE]|spec.rules[0].when.status|unknown status 'BROKE'",
        "unknown action|freezeReleases: {}|freeze: {}|spec.rules[0].then[0].freeze|unknown action",
        "flag without state|freezeReleases: {}|setFeatureFlag: {flag: x}|spec.rules[0].then[0].setFeatureFlag.enabled|required",
        "remaining above one|{status: [EXHAUSTED]}|{remainingBelow: 1.5}|spec.rules[0].when.remainingBelow|[0, 1]",
        "bad noData mode|  rules:|  onNoData: sometimes\\n  rules:|spec.onNoData|failOpen or failClosed",
        "unknown rule key|  - name: r|  - name: r\\n      whenn: {}|spec.rules[0].whenn|unknown field",
        "calendar exhaustion window|{status: [EXHAUSTED]}|{exhaustionWithin: 1M}|spec.rules[0].when.exhaustionWithin|fixed length in m, h, d or w, got 1M",
        "unknown flag backend|  rules:|  featureFlags: {backend: launchdarkly}\\n  rules:|spec.featureFlags.backend|expected appconfig or ssm",
        "pipeline without stage|freezeReleases: {}|freezeReleases: {pipeline: p}|spec.rules[0].then[0].freezeReleases.stage|required with pipeline",
        "empty then|then:\\n        - freezeReleases: {}|then: []|spec.rules[0].then|at least one action"})
    void badPolicyFilesNameTheField(String name, String from, String to, String field, String message)
            throws IOException {
        String yaml = BASE.replace(from.replace("\\n", "\n"), to.replace("\\n", "\n"));
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, yaml);
        DefinitionException e = catchThrowableOfType(DefinitionException.class, () -> PolicyLoader.load(file));
        assertThat(e).as(name).isNotNull();
        assertThat(e.problems()).as(e.getMessage()).hasSize(1);
        assertThat(e.problems().get(0).field()).isEqualTo(field);
        assertThat(e.problems().get(0).message()).contains(message);
        assertThat(e.problems().get(0).file()).isEqualTo(file.toString());
    }

    @Test
    void exclusionsAndOverridesAreChecked() throws IOException {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, BASE + """
                  exclusions:
                    - name: x
                      from: 2026-11-10T03:00:00Z
                      to: 2026-11-10T02:00:00Z
                      treatment: drop
                  overrides:
                    - service: api
                      expires: tomorrow
                      reason: because
                      author: bob
                """);
        DefinitionException e = catchThrowableOfType(DefinitionException.class, () -> PolicyLoader.load(file));
        assertThat(e.problems()).extracting(p -> p.field()).containsExactly("spec.exclusions[0].to",
                "spec.overrides[0].expires");
    }

    @Test
    void tiersCanBeReplacedAndSwitchedOff() throws IOException {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, BASE + """
                  alerting:
                    tiers:
                      - {name: fast, severity: page, budgetConsumed: 0.02, longWindow: 1h, shortWindow: 5m}
                      - {name: slow, severity: ticket, burnRate: 1, longWindow: 3d, shortWindow: 6h}
                    disable: [slow]
                """);
        Policy p = PolicyLoader.load(file);
        assertThat(p.tiers()).extracting(t -> t.name() + ":" + t.enabled()).containsExactly("fast:true", "slow:false");
        assertThat(p.tiers().get(1).burnRate()).isEqualByComparingTo("1");
    }
}
