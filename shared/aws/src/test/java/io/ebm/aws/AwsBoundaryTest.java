package io.ebm.aws;

import io.ebm.core.ImportRules;
import org.junit.jupiter.api.Test;

/** The AWS module holds SDK adapters of the core's ports only: no application service, no Lambda types (handlers own those). */
class AwsBoundaryTest {

    @Test
    void adaptersReachTheCoreAndTheSdkOnly() {
        ImportRules.assertNoneReach(15, "io.ebm.engine", "io.ebm.store", "io.ebm.local", "io.ebm.functions",
                "io.ebm.infra", "com.amazonaws");
    }
}
