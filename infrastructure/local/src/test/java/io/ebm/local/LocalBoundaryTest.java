package io.ebm.local;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ebm.core.ImportRules;
import org.junit.jupiter.api.Test;

/**
 * The one-machine runtime runs without the AWS SDK: ebm.jar is shaded from this module's dependencies, so the SDK
 * must be neither named in its sources nor reachable on its class path. Commands that talk to AWS live in
 * local-aws.
 */
class LocalBoundaryTest {

    @Test
    void theLocalRuntimeNamesNoAwsSdk() {
        ImportRules.assertNoneReach(20, "software.amazon", "com.amazonaws", "io.ebm.aws", "io.ebm.functions",
                "io.ebm.infra");
    }

    @Test
    void theAwsSdkIsNotOnTheLocalRuntimesClassPath() {
        assertThatThrownBy(() -> Class.forName("software.amazon.awssdk.core.SdkBytes"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("io.ebm.aws.dynamodb.DynamoDbBudgetStore"))
                .isInstanceOf(ClassNotFoundException.class);
    }
}
