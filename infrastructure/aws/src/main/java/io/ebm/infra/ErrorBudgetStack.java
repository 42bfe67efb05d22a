package io.ebm.infra;

import io.ebm.core.policy.Action;
import io.ebm.core.policy.Policy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CustomResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpIamAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.customresources.Provider;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.appconfig.CfnApplication;
import software.amazon.awscdk.services.appconfig.CfnConfigurationProfile;
import software.amazon.awscdk.services.appconfig.CfnEnvironment;
import software.amazon.awscdk.services.appconfig.CfnHostedConfigurationVersion;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.EventField;
import software.amazon.awscdk.services.events.RuleTargetInput;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.events.targets.LambdaFunctionProps;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sns.subscriptions.LambdaSubscription;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * Error Budget Manager in one account and region: the table, the five functions (each on arm64 with SnapStart
 * on a published {@code live} alias), their schedules and event wiring, dead-letter queues, topics, the HTTP
 * API, the AppConfig flags, and alarms on the system's own errors. Data flows one way: collector → table →
 * calculator → (SNS alerts, EventBridge status event) → policy function → (flags, pipelines, audit).
 */
public final class ErrorBudgetStack extends Stack {

    /** Namespace of the metrics the functions log in Embedded Metric Format. */
    static final String METRICS_NAMESPACE = "ErrorBudgetManager";
    static final String STATUS_SOURCE = "io.ebm.error-budget";
    static final String STATUS_DETAIL_TYPE = "Error Budget Status Changed";

    private final StackSettings settings;
    private final Topic operations;
    private final Map<String, Alias> aliases = new LinkedHashMap<>();
    private final Table table;
    private final Topic alerts;
    private final Topic approvals;
    private final HttpApi api;

    public ErrorBudgetStack(Construct scope, String id, StackProps props, StackSettings settings) {
        super(scope, id, props);
        this.settings = settings;
        Definitions definitions = Definitions.read(settings.definitions(), settings.policy());

        Key key = Key.Builder.create(this, "TopicKey").description("Error Budget Manager topics")
                .enableKeyRotation(true).build();
        operations = topic("Operations", key, "Error Budget Manager: its own alarms");
        alerts = topic("Alerts", key, "Error Budget Manager: burn-rate alerts and policy notifications");
        approvals = topic("Approvals", key, "Error Budget Manager: CodePipeline approval requests to the budget gate");
        if (!settings.alarmEmail().isBlank()) {
            operations.addSubscription(new EmailSubscription(settings.alarmEmail()));
        }

        table = Table.Builder.create(this, "Table")
                .partitionKey(Attribute.builder().name("pk").type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name("sk").type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .timeToLiveAttribute("expiresAt")
                .encryption(TableEncryption.AWS_MANAGED)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();

        Function collector = function("sli-collector", "io.ebm.functions.collector.SliCollectorHandler",
                Map.of("OVERLAP_MINUTES", String.valueOf(settings.collectorEveryMinutes() + 10), "CATCH_UP_HOURS", "24"));
        // a snapshot older than two calculator ticks is NO_DATA for the gate, the reconciler and the pages
        String staleAfter = String.valueOf(2 * settings.calculatorEveryMinutes());
        table.grantReadWriteData(collector);
        collector.addToRolePolicy(PolicyStatement.Builder.create().sid("GetMetricDataHasNoResourceLevelPermissions")
                .actions(List.of("cloudwatch:GetMetricData")).resources(List.of("*")).build());

        Queue shardDlq = queue("ShardsDeadLetter", null);
        Queue shards = queue("Shards", shardDlq);
        api = HttpApi.Builder.create(this, "HttpApi").description("Error budgets, gates, history, badges")
                .createDefaultStage(false).build();
        // every route is throttled: a public badge cannot be turned into a bill or a denial of service
        software.amazon.awscdk.services.apigatewayv2.HttpStage.Builder.create(this, "DefaultStage").httpApi(api)
                .stageName("$default").autoDeploy(true)
                .throttle(software.amazon.awscdk.services.apigatewayv2.ThrottleSettings.builder()
                        .rateLimit(settings.apiRateLimit()).burstLimit(settings.apiBurstLimit()).build())
                .build();
        Function calculator = function("budget-calculator", "io.ebm.functions.calculator.BudgetCalculatorHandler",
                calculatorEnvironment(settings, alerts, shards));
        table.grantReadWriteData(calculator);
        alerts.grantPublish(calculator);
        shards.grantSendMessages(calculator);
        calculator.addToRolePolicy(PolicyStatement.Builder.create().actions(List.of("events:PutEvents"))
                .resources(List.of(formatArn(ArnComponents.builder().service("events")
                        .resource("event-bus").resourceName("default").build()))).build());
        aliases.get("budget-calculator").addEventSource(SqsEventSource.Builder.create(shards).batchSize(10)
                .reportBatchItemFailures(true).build());

        Function policy = function("policy-engine", "io.ebm.functions.policy.PolicyEngineHandler",
                Map.of("NOTIFY_TOPIC_ARN", alerts.getTopicArn(), "STALE_AFTER_MINUTES", staleAfter));
        table.grantReadWriteData(policy);
        alerts.grantPublish(policy);
        releasePermissions(policy, definitions.policy());
        featureFlags(policy, definitions.policy());

        Function status = function("status-api", "io.ebm.functions.status.StatusApiHandler",
                Map.of("STALE_AFTER_MINUTES", staleAfter));
        table.grantReadWriteData(status);
        routes(aliases.get("status-api"), settings.publicReads());

        schedule("CollectorSchedule", aliases.get("sli-collector"), settings.collectorEveryMinutes(), null);
        schedule("CalculatorSchedule", aliases.get("budget-calculator"), settings.calculatorEveryMinutes(), null);
        if (settings.burningShare() != null) {
            // the burning mode: every minute, the collector and the calculator take only the SLOs marked burning
            // in this order every synth (Map.of's order changes between JVMs, and with it the template)
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("time", EventField.getTime());
            input.put("burning", true);
            RuleTargetInput burning = RuleTargetInput.fromObject(input);
            schedule("CollectorBurningSchedule", aliases.get("sli-collector"), 1, burning);
            schedule("CalculatorBurningSchedule", aliases.get("budget-calculator"), 1, burning);
        }
        // the policy reconciles on the calculator's schedule too: expiries and drift need no event to be noticed
        schedule("PolicySchedule", aliases.get("policy-engine"), settings.calculatorEveryMinutes(), null);
        Queue statusDlq = queue("StatusEventsDeadLetter", null);
        Rule.Builder.create(this, "StatusChanges").description("Budget status changes to the policy function")
                .eventPattern(EventPattern.builder().source(List.of(STATUS_SOURCE))
                        .detailType(List.of(STATUS_DETAIL_TYPE)).build())
                .targets(List.of(new LambdaFunction(aliases.get("policy-engine"), LambdaFunctionProps.builder()
                        .deadLetterQueue(statusDlq).retryAttempts(4).maxEventAge(Duration.hours(2)).build())))
                .build();
        // the deployment ledger: every pipeline execution, stage and action change, and AppConfig deployments
        // (those the "deployment events to EventBridge" extension reports, the policy's own included), on the
        // default bus, where AWS services put their events
        Queue deploymentsDlq = queue("DeploymentEventsDeadLetter", null);
        Rule.Builder.create(this, "Deployments").description("Pipeline and AppConfig deployments to the ledger")
                .eventPattern(EventPattern.builder().source(List.of("aws.codepipeline", "aws.appconfig"))
                        .detailType(List.of("CodePipeline Pipeline Execution State Change",
                                "CodePipeline Stage Execution State Change", "CodePipeline Action Execution State Change",
                                "On Deployment Start", "On Deployment Complete", "On Deployment Rolled Back")).build())
                .targets(List.of(new LambdaFunction(aliases.get("policy-engine"), LambdaFunctionProps.builder()
                        .deadLetterQueue(deploymentsDlq).retryAttempts(4).maxEventAge(Duration.hours(2)).build())))
                .build();
        // the monthly review of every target against the last three months, as one notice on the alerts topic
        Rule.Builder.create(this, "MonthlyReview").description("Review SLO targets against the last three months")
                .schedule(Schedule.cron(software.amazon.awscdk.services.events.CronOptions.builder().minute("0")
                        .hour("6").day("1").build()))
                .targets(List.of(new LambdaFunction(aliases.get("policy-engine"), LambdaFunctionProps.builder()
                        .event(software.amazon.awscdk.services.events.RuleTargetInput.fromObject(
                                java.util.Map.of("review", java.util.Map.of("months", 3))))
                        .deadLetterQueue(deploymentsDlq).retryAttempts(2).build())))
                .build();
        Queue approvalsDlq = queue("ApprovalsDeadLetter", null);
        approvals.addSubscription(LambdaSubscription.Builder.create(aliases.get("policy-engine"))
                .deadLetterQueue(approvalsDlq).build());

        loadDefinitions(definitions);
        alarms(List.of(shardDlq, statusDlq, deploymentsDlq, approvalsDlq));

        CfnOutput.Builder.create(this, "StatusUrl").value(api.getApiEndpoint()).build();
        CfnOutput.Builder.create(this, "AlertTopicArn").value(alerts.getTopicArn()).build();
        CfnOutput.Builder.create(this, "ApprovalTopicArn").value(approvals.getTopicArn()).build();
        CfnOutput.Builder.create(this, "TableName").value(table.getTableName()).build();
    }

    /** The topic CodePipeline approval actions notify: give it to a {@link BudgetGate}. */
    public Topic approvals() {
        return approvals;
    }

    public Topic alerts() {
        return alerts;
    }

    private Topic topic(String id, Key key, String name) {
        return Topic.Builder.create(this, id).displayName(name).masterKey(key).enforceSsl(true).build();
    }

    private Queue queue(String id, Queue deadLetter) {
        Queue.Builder b = Queue.Builder.create(this, id).encryption(QueueEncryption.SQS_MANAGED).enforceSsl(true)
                .retentionPeriod(Duration.days(14));
        if (deadLetter != null) {
            b.deadLetterQueue(DeadLetterQueue.builder().queue(deadLetter).maxReceiveCount(3).build())
                    .visibilityTimeout(Duration.seconds(6L * settings.timeout("budget-calculator")));
        }
        return b.build();
    }

    /** A function from its module's shaded jar, its log group, its asynchronous dead-letter queue, its alias. */
    private Function function(String name, String handler, Map<String, String> environment) {
        String id = camel(name);
        Path jar = settings.functions().resolve(name).resolve("target").resolve(name + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the functions first (mvn -B package)");
        }
        LogGroup logs = LogGroup.Builder.create(this, id + "Logs").retention(retention(settings.logRetentionDays()))
                .removalPolicy(RemovalPolicy.DESTROY).build();
        Queue deadLetter = queue(id + "DeadLetter", null);
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put("TABLE_NAME", table.getTableName());
        Function fn = Function.Builder.create(this, id)
                .description("Error Budget Manager " + name)
                .runtime(settings.runtime().equals("java17") ? Runtime.JAVA_17 : Runtime.JAVA_21)
                .architecture(Architecture.ARM_64).handler(handler).code(Code.fromAsset(jar.toString()))
                .memorySize(settings.memory(name)).timeout(Duration.seconds(settings.timeout(name)))
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS).environment(env).logGroup(logs)
                .deadLetterQueue(deadLetter)
                .build();
        Alias alias = Alias.Builder.create(this, id + "Live").aliasName("live").version(fn.getCurrentVersion())
                .retryAttempts(2).maxEventAge(Duration.hours(1)).build();
        aliases.put(name, alias);
        alarm(id + "Errors", fn.metricErrors(), "function " + name + " failed");
        alarm(id + "Throttles", fn.metricThrottles(), "function " + name + " was throttled");
        alarm(id + "DeadLetters", deadLetter.metricApproximateNumberOfMessagesVisible(),
                "asynchronous invocations of " + name + " failed after retries");
        return fn;
    }

    private static String camel(String name) {
        StringBuilder out = new StringBuilder();
        for (String part : name.split("-")) {
            out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return out.toString();
    }

    static RetentionDays retention(int days) {
        return switch (days) {
            case 1 -> RetentionDays.ONE_DAY;
            case 3 -> RetentionDays.THREE_DAYS;
            case 5 -> RetentionDays.FIVE_DAYS;
            case 7 -> RetentionDays.ONE_WEEK;
            case 14 -> RetentionDays.TWO_WEEKS;
            case 30 -> RetentionDays.ONE_MONTH;
            case 60 -> RetentionDays.TWO_MONTHS;
            case 90 -> RetentionDays.THREE_MONTHS;
            case 180 -> RetentionDays.SIX_MONTHS;
            case 365 -> RetentionDays.ONE_YEAR;
            default -> throw new IllegalArgumentException("ebm:logRetentionDays must be one of 1, 3, 5, 7, 14, 30, "
                    + "60, 90, 180, 365 (CloudWatch Logs retention periods), got " + days);
        };
    }

    private Map<String, String> calculatorEnvironment(StackSettings settings, Topic alerts, Queue shards) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ALERT_TOPIC_ARN", alerts.getTopicArn());
        env.put("EVENT_BUS_NAME", "default");
        env.put("SHARD_QUEUE_URL", shards.getQueueUrl());
        env.put("STATUS_URL", api.getApiEndpoint());
        env.put("OVERLAP_MINUTES", String.valueOf(Math.min(180, Math.max(33, settings.collectorEveryMinutes() + 10))));
        if (settings.burningShare() != null) {
            env.put("BURNING_SHARE", String.valueOf(settings.burningShare()));
        }
        return env;
    }

    /** A schedule invoking {@code target}; {@code input} replaces the scheduled event when given. */
    private void schedule(String id, Alias target, int everyMinutes, RuleTargetInput input) {
        Queue deadLetter = queue(id + "DeadLetter", null);
        LambdaFunctionProps.Builder props = LambdaFunctionProps.builder().deadLetterQueue(deadLetter)
                .retryAttempts(2).maxEventAge(Duration.minutes(Math.max(1, everyMinutes)));
        if (input != null) {
            props.event(input);
        }
        Rule.Builder.create(this, id).schedule(Schedule.rate(Duration.minutes(everyMinutes)))
                .targets(List.of(new LambdaFunction(target, props.build())))
                .build();
        alarm(id + "DeadLetters", deadLetter.metricApproximateNumberOfMessagesVisible(),
                "the schedule " + id + " could not invoke its function");
    }

    /**
     * Reads need SigV4 (IAM) unless {@code publicReads} opens them: {@code badges} (the default) opens the badge
     * routes only, {@code all} every read. Override writes always need IAM. Authors of overrides are redacted on
     * any route answered without an identity.
     */
    private void routes(Alias status, String publicReads) {
        HttpLambdaIntegration integration = new HttpLambdaIntegration("StatusIntegration", status);
        HttpIamAuthorizer iam = new HttpIamAuthorizer();
        boolean allPublic = publicReads.equals("all");
        for (String path : List.of("/", "/{proxy+}")) {
            AddRoutesOptions.Builder read = AddRoutesOptions.builder().path(path).methods(List.of(HttpMethod.GET))
                    .integration(integration);
            api.addRoutes((allPublic ? read : read.authorizer(iam)).build());
        }
        if (publicReads.equals("badges")) {
            // a budget is an SLO or slo/objective: one or two path segments before the badge
            for (String path : List.of("/slos/{slo}/badge.svg", "/slos/{slo}/{objective}/badge.svg")) {
                api.addRoutes(AddRoutesOptions.builder().path(path).methods(List.of(HttpMethod.GET))
                        .integration(integration).build());
            }
        }
        api.addRoutes(AddRoutesOptions.builder().path("/overrides").methods(List.of(HttpMethod.POST))
                .integration(integration).authorizer(iam).build());
        api.addRoutes(AddRoutesOptions.builder().path("/overrides/{id}").methods(List.of(HttpMethod.DELETE))
                .integration(integration).authorizer(iam).build());
    }

    /** The pipelines the policy names, and those the settings add: stage transitions and approvals there only. */
    private void releasePermissions(Function policyFunction, Policy policy) {
        Set<String> pipelines = new LinkedHashSet<>(settings.pipelines());
        for (io.ebm.core.policy.Rule rule : policy.rules()) {
            for (Action a : rule.then()) {
                if (a instanceof Action.FreezeReleases f && f.pipeline() != null) {
                    pipelines.add(f.pipeline());
                } else if (a instanceof Action.AllowReleases al && al.pipeline() != null) {
                    pipelines.add(al.pipeline());
                }
            }
        }
        if (!pipelines.isEmpty()) {
            List<String> stages = pipelines.stream().map(p -> formatArn(ArnComponents.builder()
                    .service("codepipeline").resource(p).resourceName("*").build())).toList();
            policyFunction.addToRolePolicy(PolicyStatement.Builder.create().sid("FreezeAndApproveNamedPipelines")
                    .actions(List.of("codepipeline:DisableStageTransition", "codepipeline:EnableStageTransition",
                            "codepipeline:PutApprovalResult")).resources(stages).build());
            // the reconciler reads each stage's transition back, to repair drift
            policyFunction.addToRolePolicy(PolicyStatement.Builder.create().sid("ReadBackNamedPipelines")
                    .actions(List.of("codepipeline:GetPipelineState")).resources(pipelines.stream().map(p ->
                            formatArn(ArnComponents.builder().service("codepipeline").resource(p).build())).toList())
                    .build());
        }
        policyFunction.addToRolePolicy(PolicyStatement.Builder.create().sid("JobResultsHaveNoResourceLevelPermissions")
                .actions(List.of("codepipeline:PutJobSuccessResult", "codepipeline:PutJobFailureResult"))
                .resources(List.of("*")).build());
    }

    /**
     * AppConfig flags: the application, environment and feature-flags profile the policy names, created here
     * with every flag the policy sets switched on; the function gets their ids. SSM flags: the policy's prefix.
     */
    private void featureFlags(Function policyFunction, Policy policy) {
        Policy.FlagBackend backend = policy.flags();
        if (backend == null) {
            return;
        }
        if ("ssm".equals(backend.kind())) {
            String prefix = backend.ssmPrefix().replaceAll("^/+", "").replaceAll("/+$", "");
            policyFunction.addToRolePolicy(PolicyStatement.Builder.create()
                    .actions(List.of("ssm:GetParameter", "ssm:PutParameter"))
                    .resources(List.of(formatArn(ArnComponents.builder().service("ssm")
                            .resource("parameter").resourceName(prefix + "/*").build()))).build());
            return;
        }
        CfnApplication app = CfnApplication.Builder.create(this, "FlagsApplication").name(backend.application())
                .description("Feature flags the error-budget policy switches").build();
        CfnEnvironment env = CfnEnvironment.Builder.create(this, "FlagsEnvironment").applicationId(app.getRef())
                .name(backend.environment()).build();
        CfnConfigurationProfile profile = CfnConfigurationProfile.Builder.create(this, "FlagsProfile")
                .applicationId(app.getRef()).name(backend.profile()).locationUri("hosted")
                .type("AWS.AppConfig.FeatureFlags").build();
        StringBuilder flags = new StringBuilder();
        StringBuilder values = new StringBuilder();
        for (io.ebm.core.policy.Rule rule : policy.rules()) {
            for (Action a : rule.then()) {
                if (a instanceof Action.SetFeatureFlag f && flags.indexOf("\"" + f.flag() + "\"") < 0) {
                    String sep = flags.length() == 0 ? "" : ",";
                    flags.append(sep).append('"').append(f.flag()).append("\":{\"name\":\"").append(f.flag())
                            .append("\"}");
                    values.append(sep).append('"').append(f.flag()).append("\":{\"enabled\":true}");
                }
            }
        }
        CfnHostedConfigurationVersion.Builder.create(this, "FlagsInitialVersion").applicationId(app.getRef())
                .configurationProfileId(profile.getRef()).contentType("application/json")
                .content("{\"version\":\"1\",\"flags\":{" + flags + "},\"values\":{" + values + "}}").build();
        String strategy = backend.deploymentStrategy() == null ? "AppConfig.AllAtOnce" : backend.deploymentStrategy();
        // the policy's own flag deployments reach the deployment ledger as AppConfig events on the default bus
        software.amazon.awscdk.services.appconfig.CfnExtensionAssociation.Builder.create(this, "FlagsDeploymentEvents")
                .extensionIdentifier("AWS.AppConfig.DeploymentEventsToEventBridge")
                .resourceIdentifier(appConfigArn("application/" + app.getRef())).build();
        policyFunction.addEnvironment("APPCONFIG_APPLICATION_ID", app.getRef());
        policyFunction.addEnvironment("APPCONFIG_ENVIRONMENT_ID", env.getRef());
        policyFunction.addEnvironment("APPCONFIG_PROFILE_ID", profile.getRef());
        policyFunction.addEnvironment("APPCONFIG_STRATEGY_ID", strategy);
        String application = "application/" + app.getRef();
        String profilePath = application + "/configurationprofile/" + profile.getRef();
        String environmentPath = application + "/environment/" + env.getRef();
        policyFunction.addToRolePolicy(PolicyStatement.Builder.create().sid("FlagsProfileVersions")
                .actions(List.of("appconfig:ListHostedConfigurationVersions", "appconfig:GetHostedConfigurationVersion",
                        "appconfig:CreateHostedConfigurationVersion"))
                .resources(List.of(appConfigArn(profilePath), appConfigArn(profilePath + "/hostedconfigurationversion/*")))
                .build());
        policyFunction.addToRolePolicy(PolicyStatement.Builder.create().sid("FlagsDeployments")
                .actions(List.of("appconfig:ListDeployments", "appconfig:StartDeployment"))
                .resources(List.of(appConfigArn(application), appConfigArn(environmentPath),
                        appConfigArn(environmentPath + "/deployment/*"), appConfigArn(profilePath),
                        appConfigArn("deploymentstrategy/" + strategy)))
                .build());
    }

    private String appConfigArn(String resource) {
        return "arn:" + getPartition() + ":appconfig:" + getRegion() + ":" + getAccount() + ":" + resource;
    }

    /** The SLO and policy files, validated at synth, written to the table by the loader on every deploy. */
    private void loadDefinitions(Definitions definitions) {
        Path jar = settings.functions().resolve("definitions-loader/target/definitions-loader.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the functions first (mvn -B package)");
        }
        LogGroup logs = LogGroup.Builder.create(this, "DefinitionsLoaderLogs")
                .retention(retention(settings.logRetentionDays())).removalPolicy(RemovalPolicy.DESTROY).build();
        Function loader = Function.Builder.create(this, "DefinitionsLoader")
                .description("Error Budget Manager: SLO and policy files into the table on deploy")
                .runtime(settings.runtime().equals("java17") ? Runtime.JAVA_17 : Runtime.JAVA_21)
                .architecture(Architecture.ARM_64).handler("io.ebm.functions.definitions.DefinitionsLoaderHandler")
                .code(Code.fromAsset(jar.toString())).memorySize(1024).timeout(Duration.minutes(2))
                .environment(Map.of("TABLE_NAME", table.getTableName())).logGroup(logs).build();
        table.grantReadWriteData(loader);
        Provider provider = Provider.Builder.create(this, "DefinitionsProvider").onEventHandler(loader).build();
        CustomResource.Builder.create(this, "Definitions").serviceToken(provider.getServiceToken())
                .resourceType("Custom::ErrorBudgetDefinitions")
                .properties(Map.of("Definitions", definitions.files())).build();
    }

    private void alarms(List<Queue> deadLetters) {
        for (String function : List.of("sli-collector", "budget-calculator")) {
            IMetric errors = Metric.Builder.create().namespace(METRICS_NAMESPACE).metricName("Errors")
                    .dimensionsMap(Map.of("Function", function)).statistic("Sum").period(Duration.minutes(5)).build();
            alarm(camel(function) + "ReportedErrors", errors, function + " reported SLOs or series it skipped");
        }
        for (Queue q : deadLetters) {
            String id = q.getNode().getId() + "Messages";
            alarm(id, q.metricApproximateNumberOfMessagesVisible(), "messages are waiting in " + q.getNode().getId());
        }
    }

    private void alarm(String id, IMetric metric, String description) {
        Alarm alarm = Alarm.Builder.create(this, id + "Alarm").metric(metric).threshold(1).evaluationPeriods(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING).alarmDescription(description).build();
        alarm.addAlarmAction(new SnsAction(operations));
    }
}
