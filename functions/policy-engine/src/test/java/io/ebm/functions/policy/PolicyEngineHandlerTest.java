package io.ebm.functions.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ebm.aws.dynamodb.DynamoDbBudgetStore;
import io.ebm.aws.dynamodb.DynamoDbTables;
import io.ebm.aws.messaging.SnsAlertNotifier;
import io.ebm.aws.policy.Canned;
import io.ebm.aws.policy.CodePipelineReleases;
import io.ebm.aws.policy.ReleasesTest;
import io.ebm.aws.policy.SsmFlags;
import io.ebm.aws.testing.AwsEndpoint;
import io.ebm.aws.testing.SampleMonth;
import io.ebm.core.budget.Snapshot;
import io.ebm.core.budget.SnapshotJson;
import io.ebm.core.port.StructuredLog;
import io.ebm.core.store.BudgetStore;
import io.ebm.core.store.SnapshotRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.ApprovalStatus;
import software.amazon.awssdk.services.codepipeline.model.DisableStageTransitionRequest;
import software.amazon.awssdk.services.codepipeline.model.PutApprovalResultRequest;
import software.amazon.awssdk.services.codepipeline.model.PutJobFailureResultRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/** The handler on the sample events of each trigger, over the sample month stored in DynamoDB (moto here). */
class PolicyEngineHandlerTest {

    static final ObjectMapper JSON = new ObjectMapper();

    BudgetStore store;
    Canned<CodePipelineClient> pipelines;
    PolicyEngineHandler handler;

    @BeforeEach
    void wire() throws IOException {
        DynamoDbClient dynamo = AwsEndpoint.dynamoDb();
        String table = "ebm-" + UUID.randomUUID();
        DynamoDbTables.create(dynamo, table, false);
        store = new DynamoDbBudgetStore(dynamo, table);
        SampleMonth.storeDefinitions(store);
        // the sample policy, with its flags moved to SSM so that this test reaches a real endpoint for them too
        String policy = Files.readString(Path.of("../../events/policies/default-policy.yaml"))
                .replaceAll("(?s)  featureFlags:.*?deploymentStrategy: AppConfig.AllAtOnce",
                        "  featureFlags:\n    backend: ssm\n    prefix: /ebm/" + UUID.randomUUID() + "/flags");
        store.putDefinition("policy/default-policy.yaml", policy, Instant.EPOCH);
        for (Snapshot s : SampleMonth.snapshots(SampleMonth.END)) {
            store.putSnapshot(new SnapshotRecord(s.name(), s.evaluatedAt(), s.status().name(), 1, SnapshotJson.toText(s)));
        }
        pipelines = ReleasesTest.pipelines();
        SnsClient sns = AwsEndpoint.client(SnsClient.builder());
        String topic = sns.createTopic(b -> b.name("notify-" + UUID.randomUUID())).topicArn();
        SsmClient ssm = AwsEndpoint.client(SsmClient.builder());
        List<Map<String, Object>> log = new ArrayList<>();
        handler = new PolicyEngineHandler(store, new CodePipelineReleases(pipelines.client), backend -> new SsmFlags(ssm, backend.ssmPrefix()),
                new SnsAlertNotifier(sns, topic), (StructuredLog) log::add,
                Clock.fixed(SampleMonth.END.plusSeconds(60), ZoneOffset.UTC)); // the snapshots are fresh
    }

    static Map<String, Object> event(String file) throws IOException {
        return JSON.readValue(Path.of("../../events/triggers", file).toFile(), new TypeReference<Map<String, Object>>() { });
    }

    @Test
    void theStatusEventFreezesThePipelineOnceOverThreeDeliveries() throws IOException {
        Map<String, Object> first = handler.handleRequest(event("budget-status-changed.json"), null);
        assertThat(first.get("done").toString()).contains("freeze pipeline checkout-pipeline stage Production");
        handler.handleRequest(event("budget-status-changed.json"), null);
        Map<String, Object> third = handler.handleRequest(event("budget-status-changed.json"), null);
        assertThat((List<?>) third.get("done")).isEmpty();
        assertThat(pipelines.of(DisableStageTransitionRequest.class)).hasSize(1);
    }

    @Test
    void thePipelinesApprovalIsRejectedWithItsTokenOnce() throws IOException {
        Map<String, Object> out = handler.handleRequest(event("codepipeline-approval-sns.json"), null);
        assertThat(out.get("verdict")).isEqualTo("DENY");
        handler.handleRequest(event("codepipeline-approval-sns.json"), null); // SNS delivers twice: CodePipeline keeps the first
        assertThat(pipelines.of(PutApprovalResultRequest.class)).hasSize(2).first().satisfies(r -> {
            assertThat(r.pipelineName()).isEqualTo("checkout-pipeline");
            assertThat(r.stageName()).isEqualTo("Production");
            assertThat(r.actionName()).isEqualTo("BudgetGate");
            assertThat(r.token()).isEqualTo("1a2b3c4d-5e6f-7a8b-9c0d-ebm-sample-token");
            assertThat(r.result().status()).isEqualTo(ApprovalStatus.REJECTED);
        });
    }

    @Test
    void theInvokeActionJobFails() throws IOException {
        Map<String, Object> out = handler.handleRequest(event("codepipeline-job.json"), null);
        assertThat(out.get("verdict")).isEqualTo("DENY");
        assertThat(pipelines.of(PutJobFailureResultRequest.class)).singleElement()
                .satisfies(r -> assertThat(r.jobId()).isEqualTo("11111111-abcd-1111-abcd-111111abcdef"));
    }

    @Test
    void overridesAreCreatedListedAndRevokedByInvocation() {
        Map<String, Object> created = handler.handleRequest(Map.of("override", "create", "service", "checkout-api",
                "stage", "Production", "expires", "2026-12-03T00:00:00Z", "reason", "hotfix", "author", "bob"), null);
        String id = (String) created.get("created");
        assertThat(id).startsWith("ovr-");
        Map<String, Object> listed = handler.handleRequest(Map.of("override", "list", "service", "checkout-api"), null);
        assertThat((List<?>) listed.get("overrides")).singleElement().asString().contains(id).contains("active=true");
        assertThat(handler.handleRequest(Map.of("override", "revoke", "service", "checkout-api", "id", id,
                "author", "bob"), null)).containsEntry("revoked", true);
        assertThat((List<?>) handler.handleRequest(Map.of("override", "list", "service", "checkout-api"), null)
                .get("overrides")).isEmpty();
    }

    @Test
    void anUnknownEventIsRefused() {
        assertThatThrownBy(() -> handler.handleRequest(Map.of("hello", "world"), null))
                .hasMessageContaining("unrecognised event");
    }

    @Test
    void pipelineAndAppConfigEventsInAnyOrderAndRepeatedMakeOneLedgerRecordEach() throws IOException {
        List<String> events = List.of("codepipeline-execution-succeeded.json", "codepipeline-stage-succeeded.json",
                "codepipeline-source-action-succeeded.json", "codepipeline-execution-started.json",
                "codepipeline-stage-succeeded.json", "appconfig-deployment-complete.json",
                "codepipeline-execution-succeeded.json");
        for (String name : events) {
            @SuppressWarnings("unchecked")
            Map<String, Object> event = JSON.readValue(Files.readString(Path.of("../../events/triggers/" + name)),
                    Map.class);
            assertThat(handler.handleRequest(event, null)).as(name).containsEntry("recorded", 1);
        }
        List<io.ebm.core.deploy.Deployment> ledger = store.deployments("checkout-api",
                Instant.parse("2026-11-12T00:00:00Z"), Instant.parse("2026-11-13T00:00:00Z"));
        assertThat(ledger).hasSize(2);
        io.ebm.core.deploy.Deployment pipeline = ledger.get(0);
        assertThat(pipeline).isEqualTo(new io.ebm.core.deploy.Deployment("checkout-api", "checkout-pipeline",
                "6f1d2c3b-42aa-4c1e-9d0e-000000000042", "abc123f", "Production",
                Instant.parse("2026-11-12T13:40:00Z"), Instant.parse("2026-11-12T13:58:00Z"),
                Instant.parse("2026-11-12T14:05:00Z"), io.ebm.core.deploy.Deployment.Status.SUCCEEDED, "codepipeline"));
        assertThat(ledger.get(1).pipeline()).isEqualTo("appconfig:checkout/production/feature-flags");
        assertThat(ledger.get(1).execution()).isEqualTo("12");
        assertThat(ledger.get(1).revision()).isEqualTo("5");
        assertThat(ledger.get(1).landedAt()).isEqualTo(Instant.parse("2026-11-12T14:15:30Z"));
        assertThat(store.deployments("search", Instant.EPOCH, Instant.parse("2027-01-01T00:00:00Z"))).isEmpty();
    }

    @Test
    void theMonthlyScheduleReviewsEveryTargetAndPublishesTheReport() {
        Map<String, Object> r = handler.handleRequest(Map.of("review", Map.of("months", 1)), null);
        // the sample month's counts are not in this table: every budget has too little data, and says so
        assertThat(r).containsEntry("reviewed", 5).containsEntry("suggestions", 0L);
    }
}
