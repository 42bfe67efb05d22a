package io.ebm.engine;

import io.ebm.core.ImportRules;
import org.junit.jupiter.api.Test;

/** The engine orchestrates over the core's ports: no AWS SDK, no Lambda types, no adapter, no SQL. */
class EngineBoundaryTest {

    @Test
    void engineReachesOnlyTheCore() {
        ImportRules.assertNoneReach(15, "software.amazon", "com.amazonaws", "io.ebm.aws", "io.ebm.store",
                "io.ebm.local", "io.ebm.functions", "io.ebm.infra", "java.sql");
    }
}
