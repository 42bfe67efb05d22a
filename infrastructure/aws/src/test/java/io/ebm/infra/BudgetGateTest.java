package io.ebm.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.codepipeline.Artifact;
import software.amazon.awscdk.services.codepipeline.IStage;
import software.amazon.awscdk.services.codepipeline.Pipeline;
import software.amazon.awscdk.services.codepipeline.StageOptions;
import software.amazon.awscdk.services.codepipeline.actions.S3SourceAction;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.sns.Topic;

/** The gate on someone else's pipeline: an approval the policy function answers, naming the service. */
class BudgetGateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theGateIsAnApprovalThatNotifiesTheApprovalsTopicWithTheService() throws Exception {
        App app = new App();
        Stack stack = new Stack(app, "Delivery");
        Topic approvals = new Topic(stack, "Approvals");
        Artifact source = Artifact.artifact("source");
        Pipeline pipeline = Pipeline.Builder.create(stack, "Checkout").pipelineName("checkout-pipeline").build();
        pipeline.addStage(StageOptions.builder().stageName("Source").actions(List.of(S3SourceAction.Builder.create()
                .actionName("Source").bucket(new Bucket(stack, "Sources")).bucketKey("app.zip").output(source)
                .build())).build());
        IStage production = pipeline.addStage(StageOptions.builder().stageName("Production").build());

        new BudgetGate(stack, "Gate", production, "checkout-api", approvals, 1);

        Template template = Template.fromStack(stack);
        JsonNode stages = JSON.valueToTree(template.toJSON()).path("Resources").path(
                stack.getLogicalId(((software.amazon.awscdk.CfnElement) pipeline.getNode().getDefaultChild())))
                .path("Properties").path("Stages");
        JsonNode gate = stages.get(1).path("Actions").get(0);
        assertThat(stages.get(1).path("Name").asText()).isEqualTo("Production");
        assertThat(gate.path("Name").asText()).isEqualTo("ErrorBudgetGate");
        assertThat(gate.path("ActionTypeId").path("Provider").asText()).isEqualTo("Manual");
        assertThat(gate.path("Configuration").path("CustomData").asText()).isEqualTo("service=checkout-api");
        assertThat(gate.path("Configuration").path("NotificationArn").path("Ref").asText()).startsWith("Approvals");
        // the pipeline may publish to the topic, and only to it
        assertThat(JSON.valueToTree(template.findResources("AWS::IAM::Policy")).toString())
                .contains("\"Action\":\"sns:Publish\"");
    }

    @Test
    void theServiceMustBeAnOpenSloName() {
        App app = new App();
        Stack stack = new Stack(app, "Delivery");
        Pipeline pipeline = Pipeline.Builder.create(stack, "P").build();
        IStage stage = pipeline.addStage(StageOptions.builder().stageName("Production").build());
        assertThatThrownBy(() -> new BudgetGate(stack, "Gate", stage, "Checkout API", new Topic(stack, "T"), 1))
                .hasMessage("service must be an OpenSLO name (lower case, digits, dashes), got 'Checkout API'");
    }
}
