package io.ebm.aws.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.ApprovalResult;
import software.amazon.awssdk.services.codepipeline.model.ApprovalStatus;
import software.amazon.awssdk.services.codepipeline.model.DisableStageTransitionRequest;
import software.amazon.awssdk.services.codepipeline.model.DisableStageTransitionResponse;
import software.amazon.awssdk.services.codepipeline.model.EnableStageTransitionRequest;
import software.amazon.awssdk.services.codepipeline.model.EnableStageTransitionResponse;
import software.amazon.awssdk.services.codepipeline.model.FailureType;
import software.amazon.awssdk.services.codepipeline.model.PutApprovalResultRequest;
import software.amazon.awssdk.services.codepipeline.model.PutApprovalResultResponse;
import software.amazon.awssdk.services.codepipeline.model.PutJobFailureResultRequest;
import software.amazon.awssdk.services.codepipeline.model.PutJobFailureResultResponse;
import software.amazon.awssdk.services.codepipeline.model.PutJobSuccessResultRequest;
import software.amazon.awssdk.services.codepipeline.model.PutJobSuccessResultResponse;
import software.amazon.awssdk.services.codepipeline.model.StageTransitionType;

public class ReleasesTest {

    /**
     * A CodePipeline that keeps state as the service does: a stage's inbound transition is enabled until it is
     * disabled, GetPipelineState reads it back (every pipeline has Build and Production stages), an approval token
     * and a job are answered once and refuse a second answer with the service's own exception.
     */
    public static Canned<CodePipelineClient> pipelines() {
        java.util.Set<String> disabled = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.Set<String> answered = java.util.concurrent.ConcurrentHashMap.newKeySet();
        return new Canned<>(CodePipelineClient.class, Map.of(
                DisableStageTransitionRequest.class, r -> {
                    DisableStageTransitionRequest d = (DisableStageTransitionRequest) r;
                    disabled.add(d.pipelineName() + "/" + d.stageName());
                    return DisableStageTransitionResponse.builder().build();
                },
                EnableStageTransitionRequest.class, r -> {
                    EnableStageTransitionRequest e = (EnableStageTransitionRequest) r;
                    disabled.remove(e.pipelineName() + "/" + e.stageName());
                    return EnableStageTransitionResponse.builder().build();
                },
                software.amazon.awssdk.services.codepipeline.model.GetPipelineStateRequest.class, r -> {
                    String name = ((software.amazon.awssdk.services.codepipeline.model.GetPipelineStateRequest) r).name();
                    return software.amazon.awssdk.services.codepipeline.model.GetPipelineStateResponse.builder()
                            .pipelineName(name).stageStates(List.of("Build", "Production").stream().map(stage ->
                                    software.amazon.awssdk.services.codepipeline.model.StageState.builder()
                                            .stageName(stage).inboundTransitionState(t -> t
                                                    .enabled(!disabled.contains(name + "/" + stage))).build()).toList())
                            .build();
                },
                PutApprovalResultRequest.class, r -> {
                    if (!answered.add("approval " + ((PutApprovalResultRequest) r).token())) {
                        throw software.amazon.awssdk.services.codepipeline.model.ApprovalAlreadyCompletedException
                                .builder().message("The approval action has already been completed").build();
                    }
                    return PutApprovalResultResponse.builder().build();
                },
                PutJobSuccessResultRequest.class, r -> {
                    if (!answered.add("job " + ((PutJobSuccessResultRequest) r).jobId())) {
                        throw software.amazon.awssdk.services.codepipeline.model.InvalidJobStateException.builder()
                                .message("job is not in progress").build();
                    }
                    return PutJobSuccessResultResponse.builder().build();
                },
                PutJobFailureResultRequest.class, r -> {
                    if (!answered.add("job " + ((PutJobFailureResultRequest) r).jobId())) {
                        throw software.amazon.awssdk.services.codepipeline.model.InvalidJobStateException.builder()
                                .message("job is not in progress").build();
                    }
                    return PutJobFailureResultResponse.builder().build();
                }));
    }

    @Test
    void aFreezeDisablesTheInboundTransitionWithAReasonCodePipelineAccepts() {
        Canned<CodePipelineClient> cp = pipelines();
        new CodePipelineReleases(cp.client).freeze("checkout", "Production",
                "rule freeze-when-exhausted: api-latency: status is EXHAUSTED (error budget exceeded: consumed 123.3% of it); "
                        + "x".repeat(400));
        DisableStageTransitionRequest r = cp.of(DisableStageTransitionRequest.class).get(0);
        assertThat(r.pipelineName()).isEqualTo("checkout");
        assertThat(r.stageName()).isEqualTo("Production");
        assertThat(r.transitionType()).isEqualTo(StageTransitionType.INBOUND);
        assertThat(r.reason()).hasSize(300).matches("[a-zA-Z0-9!@ ().*?\\-]+")
                .startsWith("rule freeze-when-exhausted api-latency status is EXHAUSTED (error budget exceeded consumed 123.3");
        new CodePipelineReleases(cp.client).unfreeze("checkout", "Production");
        assertThat(cp.of(EnableStageTransitionRequest.class)).containsExactly(EnableStageTransitionRequest.builder()
                .pipelineName("checkout").stageName("Production").transitionType(StageTransitionType.INBOUND).build());
    }

    @Test
    void anApprovalPassesTheTokenBackWithASummaryWithinTheLimit() {
        Canned<CodePipelineClient> cp = pipelines();
        new CodePipelineReleases(cp.client).answerApproval("checkout", "Production", "BudgetGate", "tok-123", false, "y".repeat(900));
        PutApprovalResultRequest r = cp.of(PutApprovalResultRequest.class).get(0);
        assertThat(r.token()).isEqualTo("tok-123");
        assertThat(r.actionName()).isEqualTo("BudgetGate");
        assertThat(r.result().status()).isEqualTo(ApprovalStatus.REJECTED);
        assertThat(r.result().summary()).hasSize(512).endsWith("...");
        new CodePipelineReleases(cp.client).answerApproval("checkout", "Production", "BudgetGate", "tok-124", true, "ok");
        assertThat(cp.of(PutApprovalResultRequest.class).get(1).result())
                .isEqualTo(ApprovalResult.builder().status(ApprovalStatus.APPROVED).summary("ok").build());
    }

    @Test
    void aJobSucceedsOrFailsWithItsReasons() {
        Canned<CodePipelineClient> cp = pipelines();
        new CodePipelineReleases(cp.client).answerJob("job-1", true, "fine");
        new CodePipelineReleases(cp.client).answerJob("job-2", false, "z".repeat(6000));
        assertThat(cp.of(PutJobSuccessResultRequest.class)).containsExactly(PutJobSuccessResultRequest.builder()
                .jobId("job-1").build());
        PutJobFailureResultRequest f = cp.of(PutJobFailureResultRequest.class).get(0);
        assertThat(f.jobId()).isEqualTo("job-2");
        assertThat(f.failureDetails().type()).isEqualTo(FailureType.JOB_FAILED);
        assertThat(f.failureDetails().message()).hasSize(5000);
    }
}
