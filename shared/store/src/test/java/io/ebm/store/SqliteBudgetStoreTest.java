package io.ebm.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.store.BudgetStore;
import io.ebm.core.store.BudgetStoreContract;
import io.ebm.core.store.SnapshotRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
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

    @Test
    void aFileWithARowPerMinuteKeepsItsCounts() throws Exception {
        Path file = dir.resolve("old.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE counts (series TEXT NOT NULL, minute INTEGER NOT NULL, good INTEGER NOT NULL, "
                    + "total INTEGER NOT NULL, PRIMARY KEY (series, minute)) WITHOUT ROWID");
            st.execute("INSERT INTO counts VALUES ('api', " + M0 + ", 99, 100), ('api', " + (M0 + 61) + ", 7, 9), "
                    + "('web', " + M0 + ", 1, 1)");
        }
        try (SqliteBudgetStore opened = SqliteBudgetStore.open(file)) {
            assertThat(opened.counts("api", M0, M0 + 120)).containsExactly(
                    Map.entry(M0, new MinuteCounts(99, 100)), Map.entry(M0 + 61, new MinuteCounts(7, 9)));
            assertThat(opened.counts("web", M0, M0 + 1)).containsExactly(Map.entry(M0, new MinuteCounts(1, 1)));
        }
        try (SqliteBudgetStore again = SqliteBudgetStore.open(file);
             Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master WHERE name = 'counts'")) {
            assertThat(again.counts("api", M0, M0 + 120)).hasSize(2);
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void aNewFileHasLargePagesAndAnOldOneKeepsItsOwn() throws Exception {
        Path old = dir.resolve("small-pages.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + old);
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (x INTEGER)");
        }
        SqliteBudgetStore.loadNativeLibrary(); // twice is harmless: open loads it anyway
        try (SqliteBudgetStore fresh = SqliteBudgetStore.open(dir.resolve("new.db"));
             SqliteBudgetStore kept = SqliteBudgetStore.open(old)) {
            assertThat(pageSize(dir.resolve("new.db"))).isEqualTo(16384);
            assertThat(pageSize(old)).isEqualTo(4096);
        }
    }

    @Test
    void aSnapshotPayloadIsStoredAsText() throws Exception {
        BudgetStore s = store();
        s.putSnapshot(new SnapshotRecord("api", T0, "HEALTHY", 1, "{\"name\":\"caf\u00e9\"}"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("ebm.db"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT typeof(s.payload), typeof(h.payload), s.payload, "
                     + "json_extract(h.payload, '$.name') FROM snapshots s JOIN snapshot_history h USING (budget)")) {
            assertThat(rs.getString(1)).isEqualTo("text");
            assertThat(rs.getString(2)).isEqualTo("text");
            assertThat(rs.getString(3)).isEqualTo("{\"name\":\"caf\u00e9\"}");
            assertThat(rs.getString(4)).isEqualTo("caf\u00e9");
        }
    }

    private static int pageSize(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA page_size")) {
            return rs.getInt(1);
        }
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }
}
