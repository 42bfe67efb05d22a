package io.ebm.store;

import io.ebm.core.ImportRules;
import org.junit.jupiter.api.Test;

/** The embedded stores are adapters of the core's store port: they know the core, not the services above them. */
class StoreBoundaryTest {

    @Test
    void embeddedStoresReachOnlyTheCore() {
        ImportRules.assertNoneReach(4, "software.amazon", "com.amazonaws", "io.ebm.engine", "io.ebm.aws",
                "io.ebm.local", "io.ebm.functions", "io.ebm.infra");
    }
}
