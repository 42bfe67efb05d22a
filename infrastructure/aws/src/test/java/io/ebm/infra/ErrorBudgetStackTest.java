package io.ebm.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ebm.core.yaml.DefinitionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The synthesized template: what is deployed, how it is wired, and that every permission is scoped. */
class ErrorBudgetStackTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final Path TEMPLATE = Path.of("target/cdk/ErrorBudgetManager.template.json");
    static final Path BURNING_TEMPLATE = Path.of("target/cdk/Burning.template.json");

    private static Template template;
    private static JsonNode resources;

    static StackSettings settings(Map<String, Object> context) {
        return StackSettings.from(context::get);
    }

    @BeforeAll
    static void synth() throws IOException {
        App app = new App();
        ErrorBudgetStack stack = new ErrorBudgetStack(app, "ErrorBudgetManager", StackProps.builder().build(),
                settings(Map.of()));
        template = Template.fromStack(stack);
        Files.createDirectories(TEMPLATE.getParent());
        String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(template.toJSON());
        Files.writeString(TEMPLATE, text);
        resources = JSON.readTree(text).path("Resources");
    }

    private static List<JsonNode> ofType(String type) {
        List<JsonNode> out = new ArrayList<>();
        resources.forEach(r -> {
            if (r.path("Type").asText().equals(type)) {
                out.add(r);
            }
        });
        return out;
    }

    @Test
    void everyFunctionIsJavaOnArmWithSnapStartOnALiveAlias() {
        Map<String, Object> java = Map.of("Runtime", "java21", "Architectures", List.of("arm64"),
                "SnapStart", Map.of("ApplyOn", "PublishedVersions"));
        for (String handler : List.of("collector.SliCollectorHandler", "calculator.BudgetCalculatorHandler",
                "policy.PolicyEngineHandler", "status.StatusApiHandler")) {
            template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of("Handler",
                    "io.ebm.functions." + handler, "Runtime", "java21", "Architectures", List.of("arm64"),
                    "SnapStart", Map.of("ApplyOn", "PublishedVersions"))));
        }
        template.resourcePropertiesCountIs("AWS::Lambda::Function", Match.objectLike(java), 4);
        template.resourcePropertiesCountIs("AWS::Lambda::Alias", Match.objectLike(Map.of("Name", "live")), 4);
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", "io.ebm.functions.calculator.BudgetCalculatorHandler", "MemorySize", 2048, "Timeout", 300)));
    }

    @Test
    void theTableIsOnDemandWithRecoveryExpiryAndEncryption() {
        template.hasResource("AWS::DynamoDB::Table", Match.objectLike(Map.of("DeletionPolicy", "Retain",
                "Properties", Match.objectLike(Map.of(
                        "BillingMode", "PAY_PER_REQUEST",
                        "KeySchema", List.of(Map.of("AttributeName", "pk", "KeyType", "HASH"),
                                Map.of("AttributeName", "sk", "KeyType", "RANGE")),
                        "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
                        "TimeToLiveSpecification", Map.of("AttributeName", "expiresAt", "Enabled", true),
                        "SSESpecification", Map.of("SSEEnabled", true))))));
    }

    @Test
    void schedulesRunTheCollectorCalculatorAndPolicyEveryFiveMinutesWithDeadLetterQueues() {
        List<JsonNode> schedules = ofType("AWS::Events::Rule").stream()
                .filter(r -> r.path("Properties").has("ScheduleExpression")).toList();
        assertThat(schedules).extracting(r -> r.path("Properties").path("ScheduleExpression").asText())
                .containsExactly("rate(5 minutes)", "rate(5 minutes)", "rate(5 minutes)", "cron(0 6 1 * ? *)");
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of("Handler",
                "io.ebm.functions.policy.PolicyEngineHandler", "Environment", Map.of("Variables",
                        Match.objectLike(Map.of("STALE_AFTER_MINUTES", "10"))))));
        for (JsonNode rule : ofType("AWS::Events::Rule")) {
            JsonNode target = rule.path("Properties").path("Targets").get(0);
            assertThat(target.path("DeadLetterConfig").has("Arn")).as(rule.toString()).isTrue();
            assertThat(target.path("Arn").path("Ref").asText()).as("targets the live alias").contains("Live");
        }
    }

    @Test
    void statusEventsGoToThePolicyFunction() {
        template.hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of("EventPattern", Map.of(
                "source", List.of("io.ebm.error-budget"), "detail-type", List.of("Error Budget Status Changed")))));
    }

    @Test
    void pipelineAndAppConfigDeploymentsGoToThePolicyFunctionForTheLedger() {
        template.hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of("EventPattern", Map.of(
                "source", List.of("aws.codepipeline", "aws.appconfig"),
                "detail-type", List.of("CodePipeline Pipeline Execution State Change",
                        "CodePipeline Stage Execution State Change", "CodePipeline Action Execution State Change",
                        "On Deployment Start", "On Deployment Complete", "On Deployment Rolled Back")))));
    }

    @Test
    void theFlagsApplicationReportsItsDeploymentsToEventBridge() {
        template.hasResourceProperties("AWS::AppConfig::ExtensionAssociation", Match.objectLike(Map.of(
                "ExtensionIdentifier", "AWS.AppConfig.DeploymentEventsToEventBridge")));
    }

    @Test
    void theMonthlyReviewRunsOnTheFirstOfTheMonthOverThreeMonths() {
        JsonNode rule = ofType("AWS::Events::Rule").stream()
                .filter(r -> r.path("Properties").path("ScheduleExpression").asText().startsWith("cron")).findFirst()
                .orElseThrow();
        assertThat(rule.path("Properties").path("Targets").get(0).path("Input").asText())
                .isEqualTo("{\"review\":{\"months\":3}}");
    }

    @Test
    void topicsAreEncryptedAndTheApprovalTopicFeedsThePolicyFunction() {
        template.resourceCountIs("AWS::SNS::Topic", 3);
        template.allResourcesProperties("AWS::SNS::Topic", Match.objectLike(Map.of("KmsMasterKeyId", Match.anyValue())));
        template.hasResourceProperties("AWS::SNS::Subscription", Match.objectLike(Map.of("Protocol", "lambda",
                "RedrivePolicy", Match.objectLike(Map.of("deadLetterTargetArn", Match.anyValue())))));
        template.hasResourceProperties("AWS::KMS::Key", Map.of("EnableKeyRotation", true,
                "Description", "Error Budget Manager topics", "KeyPolicy", Match.anyValue()));
    }

    @Test
    void readsNeedIamByDefaultExceptBadgesAndEveryRouteIsThrottled() {
        template.hasResourceProperties("AWS::ApiGatewayV2::Route", Match.objectLike(Map.of(
                "RouteKey", "GET /{proxy+}", "AuthorizationType", "AWS_IAM")));
        template.hasResourceProperties("AWS::ApiGatewayV2::Route", Match.objectLike(Map.of(
                "RouteKey", "GET /", "AuthorizationType", "AWS_IAM")));
        for (String badge : List.of("GET /slos/{slo}/badge.svg", "GET /slos/{slo}/{objective}/badge.svg")) {
            template.hasResourceProperties("AWS::ApiGatewayV2::Route", Match.objectLike(Map.of(
                    "RouteKey", badge, "AuthorizationType", "NONE")));
        }
        template.hasResourceProperties("AWS::ApiGatewayV2::Stage", Match.objectLike(Map.of("StageName", "$default",
                "AutoDeploy", true, "DefaultRouteSettings", Map.of("ThrottlingRateLimit", 50, "ThrottlingBurstLimit", 100))));
    }

    @Test
    void writeRoutesNeedIam() {
        template.hasResourceProperties("AWS::ApiGatewayV2::Route",
                Map.of("RouteKey", "POST /overrides", "AuthorizationType", "AWS_IAM", "ApiId", Match.anyValue(),
                        "Target", Match.anyValue()));
        template.hasResourceProperties("AWS::ApiGatewayV2::Route",
                Map.of("RouteKey", "DELETE /overrides/{id}", "AuthorizationType", "AWS_IAM", "ApiId", Match.anyValue(),
                        "Target", Match.anyValue()));
    }

    @Test
    void theFlagsProfileIsCreatedWithEveryFlagThePolicySetsAndItsIdsReachThePolicyFunction() {
        template.hasResourceProperties("AWS::AppConfig::Application", Match.objectLike(Map.of("Name", "checkout")));
        template.hasResourceProperties("AWS::AppConfig::ConfigurationProfile", Match.objectLike(Map.of(
                "Name", "feature-flags", "LocationUri", "hosted", "Type", "AWS.AppConfig.FeatureFlags")));
        template.hasResourceProperties("AWS::AppConfig::HostedConfigurationVersion", Match.objectLike(Map.of(
                "Content", "{\"version\":\"1\",\"flags\":{\"checkout-new-recommendations\":{\"name\":"
                        + "\"checkout-new-recommendations\"}},\"values\":{\"checkout-new-recommendations\":"
                        + "{\"enabled\":true}}}")));
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", "io.ebm.functions.policy.PolicyEngineHandler",
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        "APPCONFIG_APPLICATION_ID", Map.of("Ref", Match.stringLikeRegexp("FlagsApplication.*")),
                        "APPCONFIG_STRATEGY_ID", "AppConfig.AllAtOnce"))))));
    }

    @Test
    void theSampleFilesAreLoadedOnDeploy() {
        JsonNode definitions = ofType("Custom::ErrorBudgetDefinitions").get(0).path("Properties").path("Definitions");
        assertThat(definitions.fieldNames()).toIterable().containsExactly("checkout-api.yaml",
                "checkout-journey.yaml", "payments.yaml", "policy/default-policy.yaml", "search.yaml");
        assertThat(definitions.path("search.yaml").asText()).contains("name: search-timeslices");
    }

    @Test
    void everyLogGroupKeepsThirtyDaysAndEveryAlarmGoesToOperations() {
        assertThat(ofType("AWS::Logs::LogGroup")).hasSize(5)
                .allSatisfy(g -> assertThat(g.path("Properties").path("RetentionInDays").asInt()).isEqualTo(30));
        List<JsonNode> alarms = ofType("AWS::CloudWatch::Alarm");
        // three per function (errors, throttles, async dead letters), three schedules, two reported-error metrics,
        // four dead-letter queues of the event wiring (shards, status events, deployment events, approvals)
        assertThat(alarms).hasSize(4 * 3 + 3 + 2 + 4);
        assertThat(alarms).allSatisfy(a -> assertThat(a.path("Properties").path("AlarmActions").get(0)
                .path("Ref").asText()).startsWith("Operations"));
    }

    /** Actions AWS authorizes only on Resource "*": no resource-level permissions exist for them. */
    static final Set<String> ONLY_ON_ANY_RESOURCE = Set.of("cloudwatch:GetMetricData",
            "codepipeline:PutJobSuccessResult", "codepipeline:PutJobFailureResult");

    @Test
    void noIamStatementGrantsAWildcardActionOrAnUnexpectedWildcardResource() {
        List<String> problems = new ArrayList<>();
        int statements = 0;
        for (JsonNode policy : ofType("AWS::IAM::Policy")) {
            for (JsonNode st : policy.path("Properties").path("PolicyDocument").path("Statement")) {
                statements++;
                List<String> actions = new ArrayList<>();
                (st.path("Action").isArray() ? st.path("Action") : JSON.createArrayNode().add(st.path("Action")))
                        .forEach(a -> actions.add(a.asText()));
                for (String a : actions) {
                    if (a.equals("*") || a.endsWith(":*")) {
                        problems.add("wildcard action " + a + " in " + st);
                    }
                }
                List<JsonNode> res = new ArrayList<>();
                (st.path("Resource").isArray() ? st.path("Resource") : JSON.createArrayNode().add(st.path("Resource")))
                        .forEach(res::add);
                boolean any = res.stream().anyMatch(r -> r.isTextual() && r.asText().equals("*"));
                if (any && !ONLY_ON_ANY_RESOURCE.containsAll(actions)) {
                    problems.add("Resource * for " + actions);
                }
            }
        }
        assertThat(statements).isGreaterThan(10);
        assertThat(problems).isEmpty();
    }

    /** W3005 is ignored: CDK puts a DependsOn on each function's role beside the GetAtt that implies it. */
    @Test
    void theTemplatePassesCfnLint() throws Exception {
        theBurningModeAddsOneMinuteRunsOfTheCollectorAndCalculator(); // its template too
        Process p = new ProcessBuilder("cfn-lint", "--ignore-checks", "W3005", "--", TEMPLATE.toString(),
                BURNING_TEMPLATE.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        int exit = p.waitFor();
        assertThat(exit).as("cfn-lint said:\n" + output).isZero();
    }

    @Test
    void aBadSloFileStopsTheSynthWithTheLoadersMessage(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("broken.yaml"), """
                apiVersion: openslo/v1
                kind: SLO
                metadata:
                  name: broken
                spec:
                  service: web
                  budgetingMethod: Occurrences
                  objectives:
                    - target: 1.5
                """);
        Map<String, Object> context = new HashMap<>();
        context.put("ebm:definitions", dir.toString());
        assertThatThrownBy(() -> new ErrorBudgetStack(new App(), "Broken", StackProps.builder().build(),
                settings(context))).isInstanceOf(DefinitionException.class).hasMessageContaining("broken.yaml");
    }

    @Test
    void theBurningModeAddsOneMinuteRunsOfTheCollectorAndCalculator() throws IOException {
        ErrorBudgetStack stack = new ErrorBudgetStack(new App(), "Burning", StackProps.builder().build(),
                settings(Map.of("ebm:burningShare", "0.5")));
        String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(Template.fromStack(stack).toJSON());
        Files.writeString(BURNING_TEMPLATE, text);
        JsonNode burning = JSON.readTree(text).path("Resources");
        List<JsonNode> everyMinute = new ArrayList<>();
        burning.forEach(r -> {
            if (r.path("Properties").path("ScheduleExpression").asText().equals("rate(1 minute)")) {
                everyMinute.add(r);
            }
        });
        assertThat(everyMinute).hasSize(2).allSatisfy(rule -> {
            JsonNode target = rule.path("Properties").path("Targets").get(0);
            assertThat(target.path("InputTransformer").path("InputTemplate").asText())
                    .isEqualTo("{\"time\":<time>,\"burning\":true}");
            assertThat(target.path("InputTransformer").path("InputPathsMap").path("time").asText()).isEqualTo("$.time");
            assertThat(target.path("DeadLetterConfig").has("Arn")).isTrue();
        });
        Template.fromStack(stack).hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of("Handler",
                "io.ebm.functions.calculator.BudgetCalculatorHandler", "Environment", Map.of("Variables",
                        Match.objectLike(Map.of("BURNING_SHARE", "0.5"))))));
        // off by default: no one-minute schedule, no share
        assertThat(resources.toString()).doesNotContain("rate(1 minute)").doesNotContain("BURNING_SHARE");
    }

    @Test
    void settingsRefuseWhatAwsWouldNot() {
        assertThatThrownBy(() -> settings(Map.of("ebm:burningShare", "1.5")))
                .hasMessage("ebm:burningShare must be a share above 0 and at most 1, got 1.5");
        assertThatThrownBy(() -> settings(Map.of("ebm:burningShare", "half")))
                .hasMessage("context ebm:burningShare must be a number, got 'half'");
        assertThatThrownBy(() -> settings(Map.of("ebm:runtime", "java8")))
                .hasMessage("ebm:runtime must be one of [java17, java21], got java8");
        assertThatThrownBy(() -> ErrorBudgetStack.retention(45)).hasMessageContaining("got 45");
        assertThat(settings(Map.of("ebm:pipelines", "a, b")).pipelines()).containsExactly("a", "b");
    }
}
