package io.ebm.aws.policy;

import io.ebm.core.port.Releases;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.ApprovalResult;
import software.amazon.awssdk.services.codepipeline.model.ApprovalStatus;
import software.amazon.awssdk.services.codepipeline.model.DisableStageTransitionRequest;
import software.amazon.awssdk.services.codepipeline.model.EnableStageTransitionRequest;
import software.amazon.awssdk.services.codepipeline.model.FailureDetails;
import software.amazon.awssdk.services.codepipeline.model.FailureType;
import software.amazon.awssdk.services.codepipeline.model.PutApprovalResultRequest;
import software.amazon.awssdk.services.codepipeline.model.PutJobFailureResultRequest;
import software.amazon.awssdk.services.codepipeline.model.PutJobSuccessResultRequest;
import software.amazon.awssdk.services.codepipeline.model.StageTransitionType;

/**
 * CodePipeline, as the policy uses it: freeze a stage's inbound transition, answer manual approvals and
 * invoke actions. Texts are cut to CodePipeline's limits, and the freeze reason to its character set.
 */
public final class CodePipelineReleases implements Releases {

    /** CodePipeline's limits. */
    static final int MAX_REASON = 300;
    static final int MAX_APPROVAL_SUMMARY = 512;
    static final int MAX_JOB_MESSAGE = 5000;

    private final CodePipelineClient pipelines;

    public CodePipelineReleases(CodePipelineClient pipelines) {
        this.pipelines = pipelines;
    }

    @Override
    public void freeze(String pipeline, String stage, String reason) {
        pipelines.disableStageTransition(DisableStageTransitionRequest.builder().pipelineName(pipeline).stageName(stage)
                .transitionType(StageTransitionType.INBOUND).reason(transitionReason(reason)).build());
    }

    @Override
    public java.util.Optional<Boolean> isFrozen(String pipeline, String stage) {
        try {
            return pipelines.getPipelineState(software.amazon.awssdk.services.codepipeline.model.GetPipelineStateRequest
                            .builder().name(pipeline).build()).stageStates().stream()
                    .filter(st -> stage.equals(st.stageName())).findFirst()
                    .map(st -> st.inboundTransitionState() != null
                            && Boolean.FALSE.equals(st.inboundTransitionState().enabled()));
        } catch (software.amazon.awssdk.services.codepipeline.model.PipelineNotFoundException absent) {
            return java.util.Optional.empty();
        }
    }

    @Override
    public void unfreeze(String pipeline, String stage) {
        pipelines.enableStageTransition(EnableStageTransitionRequest.builder().pipelineName(pipeline).stageName(stage)
                .transitionType(StageTransitionType.INBOUND).build());
    }

    @Override
    public void answerApproval(String pipeline, String stage, String action, String token, boolean approve,
                               String summary) {
        try {
            pipelines.putApprovalResult(PutApprovalResultRequest.builder().pipelineName(pipeline).stageName(stage)
                    .actionName(action).token(token)
                    .result(ApprovalResult.builder().status(approve ? ApprovalStatus.APPROVED : ApprovalStatus.REJECTED)
                            .summary(cut(summary, MAX_APPROVAL_SUMMARY)).build()).build());
        } catch (software.amazon.awssdk.services.codepipeline.model.ApprovalAlreadyCompletedException done) {
            // a redelivered request, or an answer whose response was lost: the approval is answered
        }
    }

    @Override
    public void answerJob(String jobId, boolean succeed, String summary) {
        try {
            if (succeed) {
                pipelines.putJobSuccessResult(PutJobSuccessResultRequest.builder().jobId(jobId).build());
            } else {
                pipelines.putJobFailureResult(PutJobFailureResultRequest.builder().jobId(jobId)
                        .failureDetails(FailureDetails.builder().type(FailureType.JOB_FAILED)
                                .message(cut(summary, MAX_JOB_MESSAGE)).build()).build());
            }
        } catch (software.amazon.awssdk.services.codepipeline.model.InvalidJobStateException done) {
            // answered already (a redelivered event, or a response lost after the answer was taken)
        }
    }

    /** DisableStageTransition accepts letters, digits, spaces and {@code !@()._*?-} only, up to 300 characters. */
    static String transitionReason(String reason) {
        String allowed = reason.replaceAll("[^a-zA-Z0-9!@ ().*?\\-]", " ").replaceAll(" {2,}", " ").strip();
        return cut(allowed.isEmpty() ? "error budget policy" : allowed, MAX_REASON);
    }

    static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
