package io.ebm.core.port;

/**
 * Where releases are held and let through: a pipeline stage's inbound transition, manual approvals and invoke
 * actions. CodePipeline in AWS; the local runtime keeps the same answers in memory.
 */
public interface Releases {

    void freeze(String pipeline, String stage, String reason);

    /**
     * Whether the stage's inbound transition is disabled now, as the pipeline service says; empty when the
     * pipeline or stage is unknown to it. The reconciler reads it back to repair drift (a person re-enabled a
     * transition, a call that timed out had succeeded).
     */
    java.util.Optional<Boolean> isFrozen(String pipeline, String stage);

    void unfreeze(String pipeline, String stage);

    void answerApproval(String pipeline, String stage, String action, String token, boolean approve, String summary);

    void answerJob(String jobId, boolean succeed, String summary);
}
