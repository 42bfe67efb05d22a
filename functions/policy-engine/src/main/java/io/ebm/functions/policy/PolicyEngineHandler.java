package io.ebm.functions.policy;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ebm.aws.dynamodb.DynamoDbBudgetStore;
import io.ebm.aws.messaging.EventBridgeStatusEvents;
import io.ebm.aws.messaging.SnsAlertNotifier;
import io.ebm.aws.policy.AppConfigFlags;
import io.ebm.aws.policy.CodePipelineReleases;
import io.ebm.aws.policy.SsmFlags;
import io.ebm.core.deploy.Deployment;
import io.ebm.core.policy.GateDecision;
import io.ebm.core.policy.Policy;
import io.ebm.core.policy.ReleaseOverride;
import io.ebm.core.port.AlertNotifier;
import io.ebm.core.port.FeatureFlags;
import io.ebm.core.port.Releases;
import io.ebm.core.port.StructuredLog;
import io.ebm.core.slo.Slo;
import io.ebm.core.store.BudgetStore;
import io.ebm.engine.StoredDefinitions;
import io.ebm.engine.deploy.DeploymentRecorder;
import io.ebm.engine.policy.Overrides;
import io.ebm.engine.review.MonthlyReview;
import io.ebm.engine.policy.PolicyEnforcer;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.appconfig.AppConfigClient;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The policy function. It takes four kinds of input:
 * <ul>
 *   <li>an EventBridge {@code Error Budget Status Changed} event, or the schedule's {@code Scheduled Event}: a
 *   reconcile of everything the policy manages, from the store's latest facts (the event only says "sooner");</li>
 *   <li>an SNS notification from a CodePipeline manual approval action: Approved or Rejected by the gate;</li>
 *   <li>a CodePipeline invoke-action job ({@code CodePipeline.job}): job success or failure by the gate;</li>
 *   <li>a direct invocation {@code {"override": "create" | "list" | "revoke", …}}.</li>
 * </ul>
 * Creating or revoking an override reconciles at once. Environment: {@code TABLE_NAME}, {@code NOTIFY_TOPIC_ARN},
 * {@code STALE_AFTER_MINUTES} (snapshots older than this are NO_DATA unless the policy says otherwise; the stack
 * sets twice the calculator's schedule, default 10), and the AppConfig ids of the flags profile
 * ({@code APPCONFIG_APPLICATION_ID}, {@code _ENVIRONMENT_ID}, {@code _PROFILE_ID}, {@code _STRATEGY_ID}) when the stack made it.
 */
public final class PolicyEngineHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Built once per container, on the first invocation's cold start. */
    private static final class Container {
        static final StructuredLog LOG = StructuredLog.to(System.out);
        static final BudgetStore STORE = new DynamoDbBudgetStore(DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.create()).build(), System.getenv("TABLE_NAME"));
        static final CodePipelineClient PIPELINES = CodePipelineClient.builder()
                .httpClient(UrlConnectionHttpClient.create()).build();
        static final SnsClient SNS = SnsClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        static final Function<Policy.FlagBackend, FeatureFlags> FLAGS = backend -> "ssm".equals(backend.kind())
                ? new SsmFlags(SsmClient.builder().httpClient(UrlConnectionHttpClient.create()).build(), backend.ssmPrefix())
                : new AppConfigFlags(AppConfigClient.builder().httpClient(UrlConnectionHttpClient.create()).build(),
                        env("APPCONFIG_APPLICATION_ID", backend.application()),
                        env("APPCONFIG_ENVIRONMENT_ID", backend.environment()),
                        env("APPCONFIG_PROFILE_ID", backend.profile()),
                        env("APPCONFIG_STRATEGY_ID", backend.deploymentStrategy()));

        /**
         * AppConfig's API takes ids, which exist only once the stack is deployed: the stack that creates the flags
         * profile passes them here, and they stand for the names the policy gives.
         */
        private static String env(String name, String fallback) {
            String v = System.getenv(name);
            return v == null || v.isBlank() ? fallback : v;
        }
    }

    private final BudgetStore store;
    private final PolicyEnforcer enforcer;
    private final Overrides overrides;
    private final DeploymentRecorder recorder;
    private final AlertNotifier notify;
    private final StructuredLog log;
    private final Clock clock;

    public PolicyEngineHandler() {
        this(Container.STORE, new CodePipelineReleases(Container.PIPELINES), Container.FLAGS,
                new SnsAlertNotifier(Container.SNS, System.getenv("NOTIFY_TOPIC_ARN")), Container.LOG, Clock.systemUTC());
    }

    PolicyEngineHandler(BudgetStore store, Releases releases, Function<Policy.FlagBackend, FeatureFlags> flags,
                        AlertNotifier notify, StructuredLog log, Clock clock) {
        this.store = store;
        this.enforcer = new PolicyEnforcer(store, releases, flags, notify, log, clock, io.ebm.aws.lambda.Environment.minutes("STALE_AFTER_MINUTES",
                io.ebm.core.policy.ReleaseSettings.DEFAULT_STALE_AFTER));
        this.overrides = new Overrides(store);
        this.recorder = new DeploymentRecorder(store);
        this.notify = notify;
        this.log = log;
        this.clock = clock;
    }

    private Map<String, Object> reconcile(String trigger) {
        PolicyEnforcer.Outcome o = enforcer.reconcile(trigger, slos(), StoredDefinitions.policy(store));
        if (!o.failed().isEmpty()) {
            // an error makes EventBridge's asynchronous invocation retry: reconciling again is always safe
            throw new IllegalStateException("policy reconcile failed for " + o.failed());
        }
        return Map.of("done", o.done(), "skipped", o.skipped());
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        JsonNode e = JSON.valueToTree(event);
        if (EventBridgeStatusEvents.DETAIL_TYPE.equals(e.path("detail-type").asText())) {
            return reconcile("status event " + e.path("id").asText() + " for " + e.path("detail").path("slo").asText());
        }
        if ("Scheduled Event".equals(e.path("detail-type").asText())) {
            // the trigger names the audit entries' actor: a time for people
            return reconcile("schedule " + (e.path("time").isTextual()
                    ? io.ebm.core.Human.time(Instant.parse(e.path("time").asText())) : "(no time)"));
        }
        if (e.path("Records").path(0).path("EventSource").asText().equals("aws:sns")) {
            return approval(e.path("Records").path(0).path("Sns").path("Message").asText());
        }
        if (e.has("CodePipeline.job")) {
            JsonNode job = e.path("CodePipeline.job");
            Map<String, String> params = parameters(job.path("data").path("actionConfiguration").path("configuration")
                    .path("UserParameters").asText());
            GateDecision gate = enforcer.onJob(job.path("id").asText(), required(params, "service"),
                    params.get("stage"), slos(), StoredDefinitions.policy(store));
            return Map.of("verdict", gate.verdict().name(), "reasons", gate.reasons());
        }
        if (e.has("override")) {
            return override(e);
        }
        if (e.has("review")) {
            // the monthly schedule's input: {"review": {"months": 3}}
            int months = e.path("review").path("months").asInt(3);
            List<io.ebm.engine.review.TargetReview.Budget> reviewed = MonthlyReview.publish(store, slos(),
                    StoredDefinitions.policy(store), clock.instant(), months, notify);
            return Map.of("reviewed", reviewed.size(), "suggestions",
                    reviewed.stream().filter(b -> b.suggestion().change() != null).count());
        }
        DeploymentRecorder.Event deployment = deploymentEvent(e);
        if (deployment != null) {
            Set<String> services = new java.util.TreeSet<>();
            slos().forEach(slo -> services.add(slo.service()));
            List<Deployment> recorded = recorder.record(deployment, StoredDefinitions.policy(store).deployments(),
                    services);
            log.info("deployment recorded", Map.of("pipeline", deployment.pipeline(), "execution",
                    deployment.execution(), "state", String.valueOf(deployment.state()), "services",
                    recorded.stream().map(Deployment::service).toList()));
            return Map.of("recorded", recorded.size());
        }
        throw new IllegalArgumentException("unrecognised event: expected a status change, a CodePipeline approval "
                + "notification, a CodePipeline job, a pipeline or AppConfig deployment event, a review, or an "
                + "override request");
    }

    /**
     * A CodePipeline execution, stage or action state change, or an AppConfig deployment event (the "deployment
     * events to EventBridge" extension), as the ledger reads it; null for any other event.
     */
    static DeploymentRecorder.Event deploymentEvent(JsonNode e) {
        String source = e.path("source").asText();
        String type = e.path("detail-type").asText();
        JsonNode d = e.path("detail");
        Instant at = e.path("time").isTextual() ? Instant.parse(e.path("time").asText()) : Instant.now();
        if (source.equals("aws.codepipeline")) {
            String pipeline = d.path("pipeline").asText();
            String execution = d.path("execution-id").asText();
            String state = d.path("state").asText();
            return switch (type) {
                case "CodePipeline Pipeline Execution State Change" -> new DeploymentRecorder.Event(
                        DeploymentRecorder.Kind.PIPELINE, pipeline, execution, null, state, null, at);
                case "CodePipeline Stage Execution State Change" -> new DeploymentRecorder.Event(
                        DeploymentRecorder.Kind.STAGE, pipeline, execution, d.path("stage").asText(), state, null, at);
                case "CodePipeline Action Execution State Change" -> {
                    // a source action's result names the revision it fetched (a commit id)
                    boolean sourceAction = d.path("type").path("category").asText().equals("Source");
                    String revision = d.path("execution-result").path("external-execution-id").asText(null);
                    yield sourceAction && "SUCCEEDED".equals(state) && revision != null
                            ? new DeploymentRecorder.Event(DeploymentRecorder.Kind.SOURCE_ACTION, pipeline, execution,
                            d.path("stage").asText(), state, revision, at)
                            : null;
                }
                default -> null;
            };
        }
        if (source.equals("aws.appconfig") && d.has("Type")) {
            return DeploymentRecorder.Event.appConfig(d.path("Application").path("Name").asText(),
                    d.path("Environment").path("Name").asText(), d.path("ConfigurationProfile").path("Name").asText(),
                    d.path("DeploymentNumber").asText(), d.path("Type").asText(),
                    d.path("ConfigurationVersion").asText(null), at);
        }
        return null;
    }

    private List<Slo> slos() {
        return StoredDefinitions.load(store, log);
    }

    /** The approval action's notification: customData names the service, {@code service=checkout-api}. */
    private Map<String, Object> approval(String message) {
        JsonNode m;
        try {
            m = JSON.readTree(message);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalArgumentException("approval notification is not JSON", ex);
        }
        JsonNode a = m.path("approval");
        Map<String, String> data = parameters(a.path("customData").asText());
        GateDecision gate = enforcer.onApproval(a.path("pipelineName").asText(), a.path("stageName").asText(),
                a.path("actionName").asText(), a.path("token").asText(), required(data, "service"), slos(),
                StoredDefinitions.policy(store));
        return Map.of("verdict", gate.verdict().name(), "reasons", gate.reasons());
    }

    private Map<String, Object> override(JsonNode e) {
        Instant now = clock.instant();
        String op = e.path("override").asText();
        String service = e.path("service").asText();
        switch (op) {
            case "create" -> {
                ReleaseOverride o = overrides.create(service, e.hasNonNull("stage") ? e.get("stage").asText() : null,
                        Instant.parse(e.path("expires").asText()), e.path("reason").asText(), e.path("author").asText(),
                        now, StoredDefinitions.policy(store).release().overrideMaxDuration());
                Map<String, Object> out = new LinkedHashMap<>(reconcile("override " + o.id() + " created"));
                out.put("created", o.id());
                return out;
            }
            case "list" -> {
                return Map.of("overrides", overrides.list(service, now).stream().map(l -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", l.override().id());
                    m.put("stage", l.override().stage());
                    m.put("expires", l.override().expires().toString());
                    m.put("reason", l.override().reason());
                    m.put("author", l.override().author());
                    m.put("active", l.active());
                    return m;
                }).toList());
            }
            case "revoke" -> {
                boolean revoked = overrides.revoke(service, e.path("id").asText(), e.path("author").asText(), now);
                Map<String, Object> out = new LinkedHashMap<>(reconcile("override " + e.path("id").asText() + " revoked"));
                out.put("revoked", revoked);
                return out;
            }
            default -> throw new IllegalArgumentException("override: expected create, list or revoke, got '" + op + "'");
        }
    }

    /** {@code key=value} pairs separated by {@code ;} or {@code ,}. */
    static Map<String, String> parameters(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : text.split("[;,]")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                out.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
            }
        }
        return out;
    }

    private static String required(Map<String, String> params, String key) {
        String v = params.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("expected '" + key + "=…' in the action's custom data or user parameters, "
                    + "got " + params);
        }
        return v;
    }
}
