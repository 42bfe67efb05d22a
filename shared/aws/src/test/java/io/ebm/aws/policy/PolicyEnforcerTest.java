package io.ebm.aws.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ebm.aws.dynamodb.DynamoDbBudgetStore;
import io.ebm.aws.dynamodb.DynamoDbTables;
import io.ebm.aws.messaging.SnsAlertNotifier;
import io.ebm.aws.testing.AwsEndpoint;
import io.ebm.aws.testing.Inbox;
import io.ebm.aws.testing.SampleMonth;
import io.ebm.core.budget.Snapshot;
import io.ebm.core.budget.SnapshotJson;
import io.ebm.core.openslo.SloDefinitions;
import io.ebm.core.policy.GateDecision;
import io.ebm.core.policy.Policy;
import io.ebm.core.port.StructuredLog;
import io.ebm.core.store.AuditEntry;
import io.ebm.core.store.BudgetStore;
import io.ebm.core.store.SnapshotRecord;
import io.ebm.engine.policy.Overrides;
import io.ebm.engine.policy.PolicyEnforcer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.appconfig.AppConfigClient;
import software.amazon.awssdk.services.appconfig.model.CreateHostedConfigurationVersionRequest;
import software.amazon.awssdk.services.appconfig.model.StartDeploymentRequest;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.ApprovalStatus;
import software.amazon.awssdk.services.codepipeline.model.DisableStageTransitionRequest;
import software.amazon.awssdk.services.codepipeline.model.PutApprovalResultRequest;
import software.amazon.awssdk.services.codepipeline.model.PutJobFailureResultRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The policy carried out: snapshots of the sample month in DynamoDB and notifications on SNS (moto here), with
 * CodePipeline and AppConfig answered by canned clients whose requests are asserted.
 */
class PolicyEnforcerTest {

    static final Instant END = SampleMonth.END;
    static final Instant INCIDENT = SampleMonth.INCIDENT;
    static SloDefinitions definitions;
    static Policy policy;
    static List<Snapshot> atEnd;
    static List<Snapshot> atIncident;

    /** The sample snapshots are taken at END and INCIDENT: stale only well after them. */
    static final java.time.Duration STALE = java.time.Duration.ofDays(3650);

    BudgetStore store;
    Canned<CodePipelineClient> pipelines;
    AppConfigFlagsTest.Profile profile;
    List<Canned<AppConfigClient>> appConfigs;
    Inbox notifications;
    String topic;
    final List<Map<String, Object>> log = new ArrayList<>();

    /** The sample month evaluated by the core at its end and during the fast incident. */
    @BeforeAll
    static void evaluateTheSampleMonth() {
        definitions = SampleMonth.definitions();
        policy = SampleMonth.policy();
        atEnd = SampleMonth.snapshots(END);
        atIncident = SampleMonth.snapshots(INCIDENT);
    }

    @BeforeEach
    void wire() {
        DynamoDbClient dynamo = AwsEndpoint.dynamoDb();
        String table = "ebm-" + UUID.randomUUID();
        DynamoDbTables.create(dynamo, table, false);
        store = new DynamoDbBudgetStore(dynamo, table);
        pipelines = ReleasesTest.pipelines();
        profile = new AppConfigFlagsTest.Profile();
        appConfigs = new ArrayList<>();
        SnsClient sns = AwsEndpoint.client(SnsClient.builder());
        notifications = Inbox.create(AwsEndpoint.client(SqsClient.builder()));
        topic = notifications.subscribeToNewTopic(sns);
    }

    /**
     * An enforcer whose clock reads {@code now}. Claims expire a week after it, and moto hides items whose TTL
     * has passed by the real clock: tests use instants after today's date.
     */
    PolicyEnforcer enforcer(Instant now) {
        SnsClient sns = AwsEndpoint.client(SnsClient.builder());
        return new PolicyEnforcer(store, new CodePipelineReleases(pipelines.client), backend -> {
            Canned<AppConfigClient> c = profile.client();
            appConfigs.add(c);
            return new AppConfigFlags(c.client, backend.application(), backend.environment(), backend.profile(),
                    backend.deploymentStrategy());
        }, new SnsAlertNotifier(sns, topic), (StructuredLog) log::add, Clock.fixed(now, ZoneOffset.UTC), STALE);
    }

    void store(List<Snapshot> snapshots) {
        for (Snapshot s : snapshots) {
            long v = store.latestSnapshot(s.name()).map(SnapshotRecord::version).orElse(0L) + 1;
            assertThat(store.putSnapshot(new SnapshotRecord(s.name(), s.evaluatedAt(), s.status().name(), v,
                    SnapshotJson.toText(s)))).isTrue();
        }
    }

    <R> long count(Class<R> type) {
        long n = 0;
        for (Canned<AppConfigClient> c : appConfigs) {
            n += c.requests.stream().filter(type::isInstance).count();
        }
        return n;
    }

    @Test
    void anExhaustedBudgetFreezesThePipelineNotifiesAndRecordsItAllOnceWhateverTheRedeliveries() {
        store(atEnd);
        PolicyEnforcer enforcer = enforcer(END);
        PolicyEnforcer.Outcome first = enforcer.reconcile("status event evt-1", definitions.slos(), policy);
        assertThat(first.failed()).isEmpty();
        assertThat(first.done()).contains("freeze pipeline checkout-pipeline stage Production",
                "require reliability work: P0 postmortem action items before feature work",
                "notify release-managers: Releases frozen until the service is back within its SLO");
        for (int i = 0; i < 2; i++) { // at-least-once delivery: the same event twice more, or the schedule
            PolicyEnforcer.Outcome again = enforcer(END).reconcile("status event evt-1", definitions.slos(), policy);
            assertThat(again.done()).isEmpty();
            assertThat(again.failed()).isEmpty();
        }
        DisableStageTransitionRequest freeze = pipelines.of(DisableStageTransitionRequest.class).get(0);
        assertThat(pipelines.of(DisableStageTransitionRequest.class)).hasSize(1);
        assertThat(pipelines.of(software.amazon.awssdk.services.codepipeline.model.GetPipelineStateRequest.class))
                .hasSizeGreaterThanOrEqualTo(3); // the real state is read back on every reconcile
        assertThat(freeze.pipelineName()).isEqualTo("checkout-pipeline");
        assertThat(freeze.reason()).startsWith("Error budget policy rule freeze-when-exhausted freeze releases because "
                + "api-latency status is EXHAUSTED");
        List<JsonNode> sent = notifications.drain();
        assertThat(sent).extracting(m -> Inbox.attributes(m).get("target")) // a String.Array attribute
                .containsExactlyInAnyOrder("[\"release-managers\"]", "[\"team-channel\"]");
        assertThat(sent).extracting(m -> Inbox.attributes(m).get("severity")).containsOnly("ticket");
        assertThat(sent).allSatisfy(m -> assertThat(m.path("Subject").asText()).startsWith("[POLICY] api-latency: "));
        assertThat(store.pendingOutbox()).isEmpty();
        List<AuditEntry> audit = store.audit("checkout-api", END.minusSeconds(1), END.plusSeconds(1));
        assertThat(audit).hasSize(first.done().size());
        assertThat(audit).allSatisfy(a -> {
            assertThat(a.actor()).isEqualTo("policy-engine (status event evt-1)");
            assertThat(a.why()).isNotBlank();
        });
    }

    @Test
    void aTransitionSomeoneReEnabledIsFrozenAgainByTheNextReconcile() {
        store(atEnd);
        enforcer(END).reconcile("schedule", definitions.slos(), policy);
        new CodePipelineReleases(pipelines.client).unfreeze("checkout-pipeline", "Production"); // drift
        PolicyEnforcer.Outcome repaired = enforcer(END.plusSeconds(300)).reconcile("schedule", definitions.slos(), policy);
        assertThat(repaired.done()).containsExactly("freeze pipeline checkout-pipeline stage Production");
        assertThat(new CodePipelineReleases(pipelines.client).isFrozen("checkout-pipeline", "Production")).contains(true);
    }

    @Test
    void aPageTurnsTheRiskyFlagOffOnceAndAHalfDoneChangeIsFinishedByTheNextReconcile() {
        store(atIncident);
        profile.failNextDeployment = true;
        PolicyEnforcer.Outcome first = enforcer(END).reconcile("status event evt-9", definitions.slos(), policy);
        assertThat(first.failed()).as("done %s skipped %s", first.done(), first.skipped()).singleElement().asString()
                .startsWith("flag#checkout-new-recommendations: ServiceUnavailable");
        // checkout-api's budget and search-timeslices' (eleven days of slices counted, slo-math 1.2) are low
        assertThat(first.done()).containsExactlyInAnyOrder("notify team-channel: Less than a quarter of the error budget left",
                "notify team-channel: Less than a quarter of the error budget left",
                "freeze pipeline checkout-pipeline stage Production");
        assertThat(profile.versions).hasSize(2); // the version was written, the deployment was not started

        PolicyEnforcer.Outcome second = enforcer(END).reconcile("schedule", definitions.slos(), policy);
        assertThat(second.done()).containsExactly("set flag checkout-new-recommendations to false");
        PolicyEnforcer.Outcome third = enforcer(END).reconcile("schedule", definitions.slos(), policy);
        assertThat(third.done()).isEmpty();

        assertThat(count(CreateHostedConfigurationVersionRequest.class)).isEqualTo(1);
        assertThat(count(StartDeploymentRequest.class)).isEqualTo(2); // the failed one, then the one that went out
        assertThat(profile.deployments).hasSize(2);
        assertThat(profile.deployments.get(1).configurationVersion()).isEqualTo("2");
        assertThat(store.audit("checkout-api", END.minusSeconds(1), END.plusSeconds(1))).extracting(AuditEntry::what)
                .containsExactlyInAnyOrder("notify team-channel: Less than a quarter of the error budget left",
                        "freeze pipeline checkout-pipeline stage Production",
                        "set flag checkout-new-recommendations to false");
    }

    @Test
    void anApprovalIsAnsweredOnceAndAnOverrideTurnsItAround() {
        store(atEnd);
        GateDecision gate = enforcer(END).onApproval("checkout-pipeline", "Production", "BudgetGate", "tok-1",
                "checkout-api", definitions.slos(), policy);
        assertThat(gate.verdict()).isEqualTo(GateDecision.Verdict.DENY);
        enforcer(END).onApproval("checkout-pipeline", "Production", "BudgetGate", "tok-1", "checkout-api",
                definitions.slos(), policy);
        enforcer(END).onApproval("checkout-pipeline", "Production", "BudgetGate", "tok-1", "checkout-api",
                definitions.slos(), policy);
        // redeliveries ask again; CodePipeline keeps the first answer and refuses the others, which is not an error
        assertThat(pipelines.of(PutApprovalResultRequest.class)).hasSize(3).first().satisfies(r -> {
            assertThat(r.token()).isEqualTo("tok-1");
            assertThat(r.result().status()).isEqualTo(ApprovalStatus.REJECTED);
            assertThat(r.result().summary()).startsWith("Rejected by the error budget policy: rule freeze-when-exhausted")
                    .hasSizeLessThanOrEqualTo(512);
        });

        new Overrides(store).create("checkout-api", "Production", END.plusSeconds(3600), "security fix CVE-2026-1234",
                "alice@example.com", END, policy.release().overrideMaxDuration());
        GateDecision overridden = enforcer(END).onApproval("checkout-pipeline", "Production", "BudgetGate", "tok-2",
                "checkout-api", definitions.slos(), policy);
        assertThat(overridden.verdict()).isEqualTo(GateDecision.Verdict.ALLOW);
        assertThat(overridden.reasons().get(0)).contains("by alice@example.com").contains("security fix CVE-2026-1234");
        assertThat(pipelines.of(PutApprovalResultRequest.class).get(3).result().status()).isEqualTo(ApprovalStatus.APPROVED);
        assertThat(store.audit("checkout-api", END.minusSeconds(1), END.plusSeconds(1))).extracting(AuditEntry::what)
                .contains("reject checkout-pipeline Production", "approve checkout-pipeline Production")
                .anySatisfy(w -> assertThat(w).startsWith("create override ovr-"));
    }

    @Test
    void anInvokeActionJobFailsWithItsReasons() {
        store(atEnd);
        enforcer(END).onJob("job-7", "checkout-api", "Production", definitions.slos(), policy);
        enforcer(END).onJob("job-7", "checkout-api", "Production", definitions.slos(), policy);
        assertThat(pipelines.of(PutJobFailureResultRequest.class)).hasSize(2).allSatisfy(r ->
                assertThat(r.failureDetails().message()).startsWith("Denied by the error budget policy"));
        assertThat(store.audit("checkout-api", END.minusSeconds(1), END.plusSeconds(1))).extracting(AuditEntry::what)
                .containsExactly("fail job job-7"); // logged once
    }

    @Test
    void noDataFailsClosedAndSaysSo() {
        store(atEnd);
        Snapshot journey = atEnd.stream().filter(s -> s.name().equals("checkout-journey")).findFirst().orElseThrow();
        assertThat(journey.status().name()).isNotEqualTo("NO_DATA");
        // a service the sample data never reaches: its snapshot has no data
        List<Snapshot> early = SampleMonth.snapshots(Instant.parse("2026-10-01T00:00:00Z"));
        BudgetStore fresh = store;
        for (Snapshot s : early) {
            if (s.name().equals("search-timeslices")) {
                fresh.putSnapshot(new SnapshotRecord(s.name(), END, s.status().name(), 2, SnapshotJson.toText(s)));
            }
        }
        GateDecision gate = enforcer(END).onJob("job-8", "search", null, definitions.slos(), policy);
        assertThat(gate.verdict()).isEqualTo(GateDecision.Verdict.DENY);
        assertThat(gate.reasons().get(0)).contains("has no data").endsWith("policy example-policy fails closed");
    }

    @Test
    void ssmFlagsAreParametersHoldingTrueOrFalse() {
        SsmClient ssm = AwsEndpoint.client(SsmClient.builder());
        String prefix = "/ebm/" + UUID.randomUUID() + "/flags";
        SsmFlags flags = new SsmFlags(ssm, prefix);
        assertThat(flags.set("dark-mode", false, "r").changed()).isTrue();
        assertThat(flags.set("dark-mode", false, "r").changed()).isFalse();
        assertThat(flags.set("dark-mode", true, "r").version()).isEqualTo(prefix + "/dark-mode:2");
        assertThat(ssm.getParameter(b -> b.name(prefix + "/dark-mode")).parameter().value()).isEqualTo("true");
    }
}
