package io.ebm.infra;

import software.amazon.awscdk.services.codepipeline.IStage;
import software.amazon.awscdk.services.codepipeline.actions.ManualApprovalAction;
import software.amazon.awscdk.services.sns.ITopic;
import software.constructs.Construct;

/**
 * A budget gate on an existing pipeline stage: a manual approval whose notification goes to the approvals
 * topic, where the policy function answers it (Approved or Rejected, with the gate's reasons) on the service's
 * error budget. The service is named in the action's custom data, as the function reads it.
 */
public final class BudgetGate extends Construct {

    /**
     * @param stage     the stage to guard, usually the one that deploys to production
     * @param service   the OpenSLO service whose budgets decide
     * @param approvals {@link ErrorBudgetStack#approvals()}
     * @param runOrder  where in the stage (1: before anything else in it)
     */
    public BudgetGate(Construct scope, String id, IStage stage, String service, ITopic approvals, int runOrder) {
        super(scope, id);
        if (!service.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
            throw new IllegalArgumentException("service must be an OpenSLO name (lower case, digits, dashes), got '"
                    + service + "'");
        }
        stage.addAction(ManualApprovalAction.Builder.create().actionName("ErrorBudgetGate").runOrder(runOrder)
                .notificationTopic(approvals)
                .additionalInformation("service=" + service) // CodePipeline's CustomData, read by the function
                .build());
    }
}
