package io.ebm.local.store;

import io.ebm.core.store.BudgetStore;
import io.ebm.core.store.BudgetStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The store contract against the embedded SQLite adapter, in a real file. */
class SqliteBudgetStoreTest extends BudgetStoreContract {

    @TempDir
    Path dir;

    private SqliteBudgetStore store;

    @Override
    protected BudgetStore store() {
        store = SqliteBudgetStore.open(dir.resolve("ebm.db"));
        return store;
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }
}
