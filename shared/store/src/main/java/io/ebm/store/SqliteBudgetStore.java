package io.ebm.store;

import io.ebm.core.counts.MinuteCounts;
import io.ebm.core.deploy.Deployment;
import io.ebm.core.deploy.DeploymentJson;
import io.ebm.core.incident.Incident;
import io.ebm.core.incident.IncidentJson;
import io.ebm.core.policy.ReleaseOverride;
import io.ebm.core.store.AlertRecord;
import io.ebm.core.store.AuditEntry;
import io.ebm.core.store.BudgetStore;
import io.ebm.core.store.CountsChange;
import io.ebm.core.store.Definition;
import io.ebm.core.store.DeploymentRecord;
import io.ebm.core.store.OutboxEntry;
import io.ebm.core.store.SnapshotRecord;
import io.ebm.core.store.TargetRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The embedded twin of the DynamoDB store: one SQLite file, no server. Every write is one transaction, and
 * version checks happen inside it, so concurrent writers in one process behave as they do against DynamoDB.
 */
public final class SqliteBudgetStore implements BudgetStore, AutoCloseable {

    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS definitions (name TEXT NOT NULL, version INTEGER NOT NULL, document TEXT NOT NULL,
                stored_at INTEGER NOT NULL, PRIMARY KEY (name, version));
            CREATE TABLE IF NOT EXISTS counts_by_hour (series TEXT NOT NULL, hour INTEGER NOT NULL,
                minutes TEXT NOT NULL, PRIMARY KEY (series, hour)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS snapshots (budget TEXT PRIMARY KEY, evaluated_at INTEGER NOT NULL,
                status TEXT NOT NULL, version INTEGER NOT NULL, payload TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS snapshot_history (budget TEXT NOT NULL, evaluated_at INTEGER NOT NULL,
                status TEXT NOT NULL, version INTEGER NOT NULL, payload TEXT NOT NULL, PRIMARY KEY (budget, version));
            CREATE INDEX IF NOT EXISTS snapshot_history_time ON snapshot_history (budget, evaluated_at);
            CREATE TABLE IF NOT EXISTS alert_books (budget TEXT PRIMARY KEY, version INTEGER NOT NULL,
                payload TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS incidents (budget TEXT NOT NULL, id TEXT NOT NULL, opened_at INTEGER NOT NULL,
                resolved_at INTEGER, payload TEXT NOT NULL, PRIMARY KEY (budget, id));
            CREATE INDEX IF NOT EXISTS incidents_time ON incidents (budget, opened_at);
            CREATE TABLE IF NOT EXISTS deployments (service TEXT NOT NULL, key TEXT NOT NULL, version INTEGER NOT NULL,
                payload TEXT NOT NULL, PRIMARY KEY (service, key));
            CREATE TABLE IF NOT EXISTS audit (id TEXT PRIMARY KEY, service TEXT NOT NULL, at INTEGER NOT NULL,
                actor TEXT NOT NULL, what TEXT NOT NULL, why TEXT NOT NULL, snapshot_version INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS audit_service_time ON audit (service, at);
            CREATE TABLE IF NOT EXISTS overrides (id TEXT PRIMARY KEY, service TEXT NOT NULL, stage TEXT,
                expires INTEGER NOT NULL, reason TEXT NOT NULL, author TEXT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
            CREATE TABLE IF NOT EXISTS outbox (id TEXT PRIMARY KEY, kind TEXT NOT NULL, budget TEXT NOT NULL,
                created_at INTEGER NOT NULL, payload TEXT NOT NULL, lease_until INTEGER);
            CREATE TABLE IF NOT EXISTS targets (key TEXT PRIMARY KEY, service TEXT, engaged INTEGER NOT NULL,
                owner_value INTEGER, allow_since INTEGER, decided_at INTEGER, reason TEXT, version INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS marks (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS confirmations (budget TEXT PRIMARY KEY, at INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS counts_changes (revision INTEGER PRIMARY KEY AUTOINCREMENT,
                series TEXT NOT NULL, from_minute INTEGER NOT NULL, to_minute INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS counts_changes_series ON counts_changes (series, revision);
            """;

    private final Connection db;

    private SqliteBudgetStore(Connection db) {
        this.db = db;
    }

    /**
     * Loads SQLite's native library, which the driver extracts from its jar and checks (a tenth of a second of a
     * short command): a caller may do it early, on a thread of its own, before its first {@link #open}.
     */
    public static void loadNativeLibrary() {
        try {
            org.sqlite.SQLiteJDBCLoader.initialize();
        } catch (Exception e) {
            throw new StoreException("cannot load the embedded store's native library: " + e.getMessage(), e);
        }
    }

    /** Opens (creating if needed) the store in {@code file}. */
    public static SqliteBudgetStore open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                java.nio.file.Files.createDirectories(parent);
            }
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement st = c.createStatement()) {
                // A month of history is appended in batches of a few MiB: 16 KiB pages (for a new file; an existing
                // one keeps its own) write a third of the WAL frames of 4 KiB ones and make the file a third
                // smaller, and a 16 MiB page cache holds a batch without spilling it. A demo month made 294,000
                // pwrite and 202,000 pread calls before, 97,000 and 18,000 after (strace -f -c).
                st.execute("PRAGMA page_size=16384");
                st.execute("PRAGMA journal_mode=WAL");
                st.execute("PRAGMA synchronous=NORMAL");
                st.execute("PRAGMA cache_size=-16384");
                st.execute("PRAGMA busy_timeout=5000");
                for (String ddl : SCHEMA.split(";")) {
                    if (!ddl.isBlank()) {
                        st.execute(ddl);
                    }
                }
            }
            c.setAutoCommit(false);
            SqliteBudgetStore store = new SqliteBudgetStore(c);
            store.migrateMinuteRows();
            return store;
        } catch (SQLException | java.io.IOException e) {
            throw new StoreException("cannot open the embedded store " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Files written before counts were packed by hour hold a row per minute in {@code counts}: they are moved
     * into {@code counts_by_hour} in one transaction, and the old table dropped, so that no count is lost.
     */
    private void migrateMinuteRows() {
        batch(() -> {
            try (Statement st = db.createStatement();
                 ResultSet old = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'counts'")) {
                if (!old.next()) {
                    return;
                }
            } catch (SQLException e) {
                throw new StoreException("embedded store: " + e.getMessage(), e);
            }
            Map<String, NavigableMap<Long, MinuteCounts>> bySeries = new TreeMap<>();
            try (Statement st = db.createStatement();
                 ResultSet rs = st.executeQuery("SELECT series, minute, good, total FROM counts")) {
                while (rs.next()) {
                    bySeries.computeIfAbsent(rs.getString(1), k -> new TreeMap<>())
                            .put(rs.getLong(2), new MinuteCounts(rs.getLong(3), rs.getLong(4)));
                }
                bySeries.forEach(this::upsertCounts);
                st.execute("DROP TABLE counts");
            } catch (SQLException e) {
                throw new StoreException("embedded store: cannot move per-minute counts: " + e.getMessage(), e);
            }
        });
    }

    @Override
    public void close() {
        try {
            for (PreparedStatement st : statements.values()) {
                st.close();
            }
            statements.clear();
            db.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close the embedded store: " + e.getMessage(), e);
        }
    }

    /**
     * The statements the write path runs thousands of times (a history point, a latest snapshot, a
     * confirmation), prepared once per connection and kept until it closes. Used under the store's lock only.
     */
    private final Map<String, PreparedStatement> statements = new java.util.HashMap<>();

    private PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement st = statements.get(sql);
        if (st == null) {
            st = db.prepareStatement(sql);
            statements.put(sql, st);
        }
        return st;
    }

    /** One unit of work, committed whole or rolled back whole. */
    private interface Work<T> {
        T run() throws SQLException;
    }

    /** Inside {@link #batch}: statements join the batch's transaction instead of committing one by one. */
    private int batchDepth;

    private synchronized <T> T tx(Work<T> work) {
        if (batchDepth > 0) {
            try {
                return work.run();
            } catch (SQLException e) {
                throw new StoreException("embedded store: " + e.getMessage(), e);
            }
        }
        try {
            T result = work.run();
            db.commit();
            return result;
        } catch (SQLException e) {
            try {
                db.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new StoreException("embedded store: " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code work} (calls on this store) as one transaction: all its writes are committed together, or,
     * if it throws, none of them.
     */
    public synchronized void batch(Runnable work) {
        batchDepth++;
        boolean done = false;
        try {
            work.run();
            done = true;
        } finally {
            batchDepth--;
            try {
                if (done) {
                    db.commit();
                } else {
                    db.rollback();
                }
            } catch (SQLException e) {
                throw new StoreException("embedded store: " + e.getMessage(), e);
            }
        }
    }

    // ---------------------------------------------------------------- definitions

    @Override
    public long putDefinition(String name, String document, Instant at) {
        return tx(() -> {
            long next = 1;
            try (PreparedStatement q = db.prepareStatement("SELECT MAX(version) FROM definitions WHERE name = ?")) {
                q.setString(1, name);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        next = rs.getLong(1) + 1;
                    }
                }
            }
            try (PreparedStatement ins = db.prepareStatement(
                    "INSERT INTO definitions (name, version, document, stored_at) VALUES (?, ?, ?, ?)")) {
                ins.setString(1, name);
                ins.setLong(2, next);
                ins.setString(3, document);
                ins.setLong(4, at.toEpochMilli());
                ins.executeUpdate();
            }
            return next;
        });
    }

    @Override
    public Optional<Definition> definition(String name) {
        return tx(() -> {
            try (PreparedStatement q = db.prepareStatement("SELECT name, version, document, stored_at FROM definitions "
                    + "WHERE name = ? ORDER BY version DESC LIMIT 1")) {
                q.setString(1, name);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? Optional.of(definitionOf(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<Definition> definitions() {
        return tx(() -> {
            List<Definition> out = new ArrayList<>();
            try (PreparedStatement q = db.prepareStatement("SELECT d.name, d.version, d.document, d.stored_at "
                    + "FROM definitions d JOIN (SELECT name, MAX(version) v FROM definitions GROUP BY name) l "
                    + "ON d.name = l.name AND d.version = l.v ORDER BY d.name");
                 ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(definitionOf(rs));
                }
            }
            return out;
        });
    }

    private static Definition definitionOf(ResultSet rs) throws SQLException {
        return new Definition(rs.getString(1), rs.getLong(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)));
    }

    // ---------------------------------------------------------------- counts

    @Override
    public void upsertCounts(String series, NavigableMap<Long, MinuteCounts> minutes) {
        FlatMinutes flat = new FlatMinutes(minutes.size());
        flat.addAll(minutes);
        upsertCounts(series, flat);
    }

    /**
     * {@link #upsertCounts(String, NavigableMap)} for minutes as a write-behind batch holds them (in the order
     * written, a later write of a minute winning): each hour's text is made once from them, and the file's row of
     * an hour is read only when the batch leaves some of its minutes unwritten (its other minutes stay).
     */
    void upsertCounts(String series, FlatMinutes minutes) {
        if (minutes.minutes() == 0) {
            return;
        }
        tx(() -> {
            // each hour's minutes as the batch wrote them: good, total, span (a span of 0: not written)
            Map<Long, long[]> hours = new TreeMap<>();
            long[] range = {Long.MAX_VALUE, Long.MIN_VALUE};
            minutes.forEachFlat((minute, good, total, span) -> {
                long[] hour = hours.computeIfAbsent(Math.floorDiv(minute, 60), h -> new long[180]);
                int i = (int) Math.floorMod(minute, 60);
                hour[i] = good;
                hour[60 + i] = total;
                hour[120 + i] = span;
                range[0] = Math.min(range[0], minute);
                range[1] = Math.max(range[1], minute);
            });
            long firstPartial = Long.MAX_VALUE;
            long lastPartial = Long.MIN_VALUE;
            for (Map.Entry<Long, long[]> h : hours.entrySet()) {
                for (int i = 0; i < 60; i++) {
                    if (h.getValue()[120 + i] == 0) {
                        firstPartial = Math.min(firstPartial, h.getKey());
                        lastPartial = Math.max(lastPartial, h.getKey());
                        break;
                    }
                }
            }
            Map<Long, String[]> stored = firstPartial > lastPartial ? Map.of()
                    : readHours(series, firstPartial, lastPartial);
            PreparedStatement up = statement("INSERT OR REPLACE INTO counts_by_hour (series, hour, minutes) "
                    + "VALUES (?, ?, ?)");
            StringBuilder row = new StringBuilder(60 * 12);
            for (Map.Entry<Long, long[]> h : hours.entrySet()) {
                long[] written = h.getValue();
                String[] kept = stored.get(h.getKey());
                row.setLength(0);
                for (int i = 0; i < 60; i++) {
                    if (i > 0) {
                        row.append(',');
                    }
                    if (written[120 + i] != 0) {
                        MinuteCounts.appendText(row, written[i], written[60 + i], (int) written[120 + i]);
                    } else if (kept != null && kept[i] != null) {
                        row.append(kept[i]); // a minute this batch left alone stays as the file has it
                    }
                }
                up.setString(1, series);
                up.setLong(2, h.getKey());
                up.setString(3, row.toString());
                up.addBatch();
            }
            up.executeBatch();
            noteChange(series, range[0], range[1] + 1);
            return null;
        });
    }

    /** The notes kept, all series together; older ones are dropped, and readers behind them read everything. */
    static final long CHANGES_KEPT = 20_000;
    private static final String CHANGES_DROPPED = "store/counts-changes-dropped-through";

    private void noteChange(String series, long fromMinute, long toMinute) throws SQLException {
        long revision;
        try (PreparedStatement ins = db.prepareStatement("INSERT INTO counts_changes (series, from_minute, to_minute) "
                + "VALUES (?, ?, ?)", java.sql.Statement.RETURN_GENERATED_KEYS)) {
            ins.setString(1, series);
            ins.setLong(2, fromMinute);
            ins.setLong(3, toMinute);
            ins.executeUpdate();
            try (ResultSet keys = ins.getGeneratedKeys()) {
                keys.next();
                revision = keys.getLong(1);
            }
        }
        if (revision % 1000 == 0 && revision > CHANGES_KEPT) {
            long dropThrough = revision - CHANGES_KEPT;
            try (PreparedStatement del = db.prepareStatement("DELETE FROM counts_changes WHERE revision <= ?");
                 PreparedStatement mark = db.prepareStatement("INSERT INTO marks (key, value) VALUES (?, ?) "
                         + "ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
                del.setLong(1, dropThrough);
                del.executeUpdate();
                mark.setString(1, CHANGES_DROPPED);
                mark.setLong(2, dropThrough);
                mark.executeUpdate();
            }
        }
    }

    @Override
    public long countsRevision() {
        return tx(() -> {
            // the sequence knows the newest revision handed out, even when every note has been dropped
            try (Statement st = db.createStatement();
                 ResultSet seq = st.executeQuery("SELECT seq FROM sqlite_sequence WHERE name = 'counts_changes'")) {
                return seq.next() ? seq.getLong(1) : 0L;
            }
        });
    }

    @Override
    public List<CountsChange> countsChanges(String series, long afterRevision) {
        return tx(() -> {
            try (PreparedStatement dropped = db.prepareStatement("SELECT value FROM marks WHERE key = ?")) {
                dropped.setString(1, CHANGES_DROPPED);
                try (ResultSet rs = dropped.executeQuery()) {
                    if (rs.next() && afterRevision < rs.getLong(1)) {
                        return List.of(CountsChange.anything(afterRevision));
                    }
                }
            }
            List<CountsChange> out = new ArrayList<>();
            try (PreparedStatement q = db.prepareStatement("SELECT revision, from_minute, to_minute FROM counts_changes "
                    + "WHERE series = ? AND revision > ? ORDER BY revision")) {
                q.setString(1, series);
                q.setLong(2, afterRevision);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(new CountsChange(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
                    }
                }
            }
            return out;
        });
    }

    /**
     * The stored hours of one series: 60 minutes each, {@code good/total} or empty (no data), comma-separated.
     * One row an hour keeps a month of one series at 720 rows.
     */
    private Map<Long, String[]> readHours(String series, long firstHour, long lastHour) throws SQLException {
        Map<Long, String[]> out = new TreeMap<>();
        try (PreparedStatement q = db.prepareStatement("SELECT hour, minutes FROM counts_by_hour "
                + "WHERE series = ? AND hour >= ? AND hour <= ? ORDER BY hour")) {
            q.setString(1, series);
            q.setLong(2, firstHour);
            q.setLong(3, lastHour);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), java.util.Arrays.copyOf(rs.getString(2).split(",", 60), 60));
                }
            }
        }
        return out;
    }

    @Override
    public void forEachCount(String series, long fromMinute, long toMinute, MinuteSink sink) {
        if (fromMinute >= toMinute) {
            return;
        }
        // parsed inside the read, handed on after it: a sink may call the store
        record Minute(long at, MinuteCounts counts) {
        }
        List<Minute> read = tx(() -> {
            List<Minute> out = new ArrayList<>();
            for (Map.Entry<Long, String[]> h : readHours(series, Math.floorDiv(fromMinute, 60),
                    Math.floorDiv(toMinute - 1, 60)).entrySet()) {
                String[] hour = h.getValue();
                for (int i = 0; i < hour.length; i++) {
                    long minute = h.getKey() * 60 + i;
                    if (hour[i] == null || hour[i].isEmpty() || minute < fromMinute || minute >= toMinute) {
                        continue;
                    }
                    out.add(new Minute(minute, MinuteCounts.parse(series, minute, hour[i])));
                }
            }
            return out;
        });
        read.forEach(m -> sink.minute(m.at(), m.counts()));
    }

    // ---------------------------------------------------------------- snapshots

    @Override
    public boolean putSnapshot(SnapshotRecord s) {
        return tx(() -> {
            int changed;
            if (s.version() == 1) {
                try (PreparedStatement ins = db.prepareStatement("INSERT INTO snapshots (budget, evaluated_at, status, "
                        + "version, payload) VALUES (?, ?, ?, 1, ?) ON CONFLICT (budget) DO NOTHING")) {
                    ins.setString(1, s.budget());
                    ins.setLong(2, s.evaluatedAt().toEpochMilli());
                    ins.setString(3, s.status());
                    ins.setString(4, s.payload());
                    changed = ins.executeUpdate();
                }
            } else {
                try (PreparedStatement up = db.prepareStatement("UPDATE snapshots SET evaluated_at = ?, status = ?, "
                        + "version = ?, payload = ? WHERE budget = ? AND version = ?")) {
                    up.setLong(1, s.evaluatedAt().toEpochMilli());
                    up.setString(2, s.status());
                    up.setLong(3, s.version());
                    up.setString(4, s.payload());
                    up.setString(5, s.budget());
                    up.setLong(6, s.version() - 1);
                    changed = up.executeUpdate();
                }
            }
            if (changed == 0) {
                return false;
            }
            insertHistory(s, "INSERT");
            return true;
        });
    }

    /**
     * Copies a snapshot that another store already accepted under its version check: the latest is replaced
     * whatever version it had, and the history gets it if {@code inHistory}.
     */
    public void copySnapshot(SnapshotRecord s, boolean makeLatest, boolean inHistory) {
        tx(() -> {
            if (makeLatest) {
                PreparedStatement up = statement("INSERT INTO snapshots (budget, evaluated_at, status, "
                        + "version, payload) VALUES (?, ?, ?, ?, ?) ON CONFLICT (budget) DO UPDATE SET "
                        + "evaluated_at = excluded.evaluated_at, status = excluded.status, version = excluded.version, "
                        + "payload = excluded.payload");
                bindSnapshot(up, s).executeUpdate();
            }
            if (inHistory) {
                insertHistory(s, "INSERT OR REPLACE");
            }
            return null;
        });
    }

    private void insertHistory(SnapshotRecord s, String insert) throws SQLException {
        PreparedStatement h = statement(insert + " INTO snapshot_history (budget, evaluated_at, status, "
                + "version, payload) VALUES (?, ?, ?, ?, ?)");
        bindSnapshot(h, s).executeUpdate();
    }

    /** A snapshot's columns as both snapshot tables take them: budget, evaluated_at, status, version, payload. */
    private static PreparedStatement bindSnapshot(PreparedStatement st, SnapshotRecord s) throws SQLException {
        st.setString(1, s.budget());
        st.setLong(2, s.evaluatedAt().toEpochMilli());
        st.setString(3, s.status());
        st.setLong(4, s.version());
        st.setString(5, s.payload());
        return st;
    }

    @Override
    public Optional<SnapshotRecord> latestSnapshot(String budget) {
        return tx(() -> {
            try (PreparedStatement q = db.prepareStatement("SELECT budget, evaluated_at, status, version, payload "
                    + "FROM snapshots WHERE budget = ?")) {
                q.setString(1, budget);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? Optional.of(snapshotOf(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<SnapshotRecord> snapshotHistory(String budget, Instant from, Instant to) {
        return tx(() -> {
            List<SnapshotRecord> out = new ArrayList<>();
            try (PreparedStatement q = db.prepareStatement("SELECT budget, evaluated_at, status, version, payload "
                    + "FROM snapshot_history WHERE budget = ? AND evaluated_at >= ? AND evaluated_at < ? "
                    + "ORDER BY evaluated_at, version")) {
                q.setString(1, budget);
                q.setLong(2, from.toEpochMilli());
                q.setLong(3, to.toEpochMilli());
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(snapshotOf(rs));
                    }
                }
            }
            return out;
        });
    }

    private static SnapshotRecord snapshotOf(ResultSet rs) throws SQLException {
        return new SnapshotRecord(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getLong(4),
                rs.getString(5));
    }

    // ---------------------------------------------------------------- alert books and incidents

    @Override
    public boolean putAlertState(AlertRecord r) {
        return tx(() -> {
            String sql = r.version() == 1
                    ? "INSERT INTO alert_books (payload, version, budget) VALUES (?, ?, ?) ON CONFLICT (budget) DO NOTHING"
                    : "UPDATE alert_books SET payload = ?, version = ? WHERE budget = ? AND version = ?";
            try (PreparedStatement st = db.prepareStatement(sql)) {
                st.setString(1, IncidentJson.toJson(r.book()));
                st.setLong(2, r.version());
                st.setString(3, r.budget());
                if (r.version() != 1) {
                    st.setLong(4, r.version() - 1);
                }
                return st.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Optional<AlertRecord> alertState(String budget) {
        return tx(() -> {
            try (PreparedStatement q = db.prepareStatement("SELECT payload, version FROM alert_books WHERE budget = ?")) {
                q.setString(1, budget);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? Optional.of(new AlertRecord(IncidentJson.book(rs.getString(1)), rs.getLong(2)))
                            : Optional.empty();
                }
            }
        });
    }

    /** Stores incidents, each replacing the one of its id. */
    boolean putIncidents(List<Incident> changed) {
        if (changed.isEmpty()) {
            return true;
        }
        return tx(() -> {
            try (PreparedStatement st = db.prepareStatement("INSERT INTO incidents (budget, id, opened_at, resolved_at, "
                    + "payload) VALUES (?, ?, ?, ?, ?) ON CONFLICT (budget, id) DO UPDATE SET resolved_at = "
                    + "excluded.resolved_at, payload = excluded.payload")) {
                for (Incident i : changed) {
                    st.setString(1, i.slo());
                    st.setString(2, i.id());
                    st.setLong(3, i.openedAt().toEpochMilli());
                    if (i.resolvedAt() == null) {
                        st.setNull(4, java.sql.Types.INTEGER);
                    } else {
                        st.setLong(4, i.resolvedAt().toEpochMilli());
                    }
                    st.setString(5, IncidentJson.toJson(i));
                    st.addBatch();
                }
                st.executeBatch();
                return true;
            }
        });
    }

    @Override
    public List<Incident> incidents(String budget, Instant from, Instant to) {
        return tx(() -> {
            List<Incident> out = new ArrayList<>();
            try (PreparedStatement q = db.prepareStatement("SELECT payload FROM incidents WHERE budget = ? AND "
                    + "opened_at < ? AND (resolved_at IS NULL OR resolved_at >= ?) ORDER BY opened_at, id")) {
                q.setString(1, budget);
                q.setLong(2, to.toEpochMilli());
                q.setLong(3, from.toEpochMilli());
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(IncidentJson.incident(rs.getString(1)));
                    }
                }
            }
            return out;
        });
    }

    // ---------------------------------------------------------------- deployments

    @Override
    public boolean putDeployment(DeploymentRecord r) {
        Deployment d = r.deployment();
        return tx(() -> {
            String sql = r.version() == 1
                    ? "INSERT INTO deployments (payload, version, service, key) VALUES (?, ?, ?, ?) "
                            + "ON CONFLICT (service, key) DO NOTHING"
                    : "UPDATE deployments SET payload = ?, version = ? WHERE service = ? AND key = ? AND version = ?";
            try (PreparedStatement st = db.prepareStatement(sql)) {
                st.setString(1, DeploymentJson.toJson(d));
                st.setLong(2, r.version());
                st.setString(3, d.service());
                st.setString(4, d.key());
                if (r.version() != 1) {
                    st.setLong(5, r.version() - 1);
                }
                return st.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Optional<DeploymentRecord> deployment(String service, String pipeline, String execution) {
        return tx(() -> {
            try (PreparedStatement q = db.prepareStatement(
                    "SELECT payload, version FROM deployments WHERE service = ? AND key = ?")) {
                q.setString(1, service);
                q.setString(2, pipeline + "#" + execution);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? Optional.of(new DeploymentRecord(DeploymentJson.fromJson(rs.getString(1)),
                            rs.getLong(2))) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<Deployment> deployments(String service, Instant from, Instant to) {
        return tx(() -> {
            List<Deployment> all = new ArrayList<>();
            try (PreparedStatement q = db.prepareStatement("SELECT payload FROM deployments WHERE service = ?")) {
                q.setString(1, service);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        all.add(DeploymentJson.fromJson(rs.getString(1)));
                    }
                }
            }
            return Deployment.select(all, from, to);
        });
    }

    // ---------------------------------------------------------------- audit

    @Override
    public void appendAudit(AuditEntry e) {
        tx(() -> {
            try (PreparedStatement ins = db.prepareStatement("INSERT INTO audit (id, service, at, actor, what, why, "
                    + "snapshot_version) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
                ins.setString(1, e.id());
                ins.setString(2, e.service());
                ins.setLong(3, e.at().toEpochMilli());
                ins.setString(4, e.actor());
                ins.setString(5, e.what());
                ins.setString(6, e.why());
                ins.setLong(7, e.snapshotVersion());
                ins.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<AuditEntry> audit(String service, Instant from, Instant to) {
        return tx(() -> {
            List<AuditEntry> out = new ArrayList<>();
            try (PreparedStatement q = db.prepareStatement("SELECT id, service, at, actor, what, why, snapshot_version "
                    + "FROM audit WHERE service = ? AND at >= ? AND at < ? ORDER BY at, id")) {
                q.setString(1, service);
                q.setLong(2, from.toEpochMilli());
                q.setLong(3, to.toEpochMilli());
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(new AuditEntry(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                                rs.getString(4), rs.getString(5), rs.getString(6), rs.getLong(7)));
                    }
                }
            }
            return out;
        });
    }

    // ---------------------------------------------------------------- overrides

    @Override
    public void putOverride(ReleaseOverride o) {
        tx(() -> {
            try (PreparedStatement ins = db.prepareStatement("INSERT OR REPLACE INTO overrides (id, service, stage, "
                    + "expires, reason, author, revoked) VALUES (?, ?, ?, ?, ?, ?, 0)")) {
                ins.setString(1, o.id());
                ins.setString(2, o.service());
                ins.setString(3, o.stage());
                ins.setLong(4, o.expires().toEpochMilli());
                ins.setString(5, o.reason());
                ins.setString(6, o.author());
                ins.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<ReleaseOverride> overrides(String service) {
        return tx(() -> {
            List<ReleaseOverride> out = new ArrayList<>();
            try (PreparedStatement q = db.prepareStatement("SELECT id, service, stage, expires, reason, author "
                    + "FROM overrides WHERE service = ? AND revoked = 0 ORDER BY id")) {
                q.setString(1, service);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ReleaseOverride(rs.getString(1), rs.getString(2), rs.getString(3),
                                Instant.ofEpochMilli(rs.getLong(4)), rs.getString(5), rs.getString(6)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public boolean revokeOverride(String id) {
        return tx(() -> {
            try (PreparedStatement up = db.prepareStatement(
                    "UPDATE overrides SET revoked = 1 WHERE id = ? AND revoked = 0")) {
                up.setString(1, id);
                return up.executeUpdate() == 1;
            }
        });
    }

    // ---------------------------------------------------------------- idempotency

    /** When the newest stored snapshot was evaluated: a replayed or seeded store's own "now". */
    public Optional<Instant> newestSnapshotTime() {
        return tx(() -> {
            try (Statement st = db.createStatement();
                 ResultSet rs = st.executeQuery("SELECT MAX(evaluated_at) FROM snapshots")) {
                long at = rs.next() ? rs.getLong(1) : 0;
                return rs.wasNull() || at == 0 ? Optional.<Instant>empty() : Optional.of(Instant.ofEpochMilli(at));
            }
        });
    }

    /**
     * Runs {@code work} (calls on this store) as one transaction that commits only when it answers true: a
     * version check that fails half way rolls back what came before it. Inside a {@link #batch} it joins the
     * batch, whose writes were accepted by a front store already.
     */
    private synchronized boolean atomically(java.util.function.BooleanSupplier work) {
        boolean outer = batchDepth > 0;
        batchDepth++;
        boolean ok = false;
        try {
            ok = work.getAsBoolean();
        } finally {
            batchDepth--;
            if (!outer) {
                try {
                    if (ok) {
                        db.commit();
                    } else {
                        db.rollback();
                    }
                } catch (SQLException e) {
                    throw new StoreException("embedded store: " + e.getMessage(), e);
                }
            }
        }
        return ok;
    }

    @Override
    public boolean commitEvaluation(SnapshotRecord snapshot, List<AlertRecord> alerts, List<Incident> changed,
                                    List<OutboxEntry> entries) {
        return atomically(() -> putSnapshot(snapshot) && alerts.stream().allMatch(this::putAlertState)
                && putIncidents(changed) && addOutbox(entries));
    }

    /** Adds entries not there yet (package use: the write-behind store replays its front's outbox). */
    boolean addOutbox(List<OutboxEntry> entries) {
        return tx(() -> {
            try (PreparedStatement st = db.prepareStatement("INSERT INTO outbox (id, kind, budget, created_at, payload, "
                    + "lease_until) VALUES (?, ?, ?, ?, ?, NULL) ON CONFLICT (id) DO NOTHING")) {
                for (OutboxEntry e : entries) {
                    st.setString(1, e.id());
                    st.setString(2, e.kind());
                    st.setString(3, e.budget());
                    st.setLong(4, e.createdAt().toEpochMilli());
                    st.setString(5, e.payload());
                    st.executeUpdate();
                }
            }
            return true;
        });
    }

    @Override
    public List<OutboxEntry> pendingOutbox() {
        return tx(() -> {
            List<OutboxEntry> out = new ArrayList<>();
            try (PreparedStatement st = db.prepareStatement("SELECT id, kind, budget, created_at, payload, lease_until "
                    + "FROM outbox ORDER BY created_at, id");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    long lease = rs.getLong(6);
                    out.add(new OutboxEntry(rs.getString(1), rs.getString(2), rs.getString(3),
                            Instant.ofEpochMilli(rs.getLong(4)), rs.getString(5),
                            rs.wasNull() ? null : Instant.ofEpochMilli(lease)));
                }
            }
            return out;
        });
    }

    @Override
    public boolean leaseOutbox(String id, Instant now, Instant until) {
        return tx(() -> {
            try (PreparedStatement st = db.prepareStatement("UPDATE outbox SET lease_until = ? WHERE id = ? "
                    + "AND (lease_until IS NULL OR lease_until <= ?)")) {
                st.setLong(1, until.toEpochMilli());
                st.setString(2, id);
                st.setLong(3, now.toEpochMilli());
                return st.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void deliveredOutbox(String id) {
        tx(() -> {
            try (PreparedStatement st = db.prepareStatement("DELETE FROM outbox WHERE id = ?")) {
                st.setString(1, id);
                return st.executeUpdate();
            }
        });
    }

    @Override
    public Optional<TargetRecord> target(String key) {
        return tx(() -> {
            try (PreparedStatement st = db.prepareStatement(TARGET_SELECT + " WHERE key = ?")) {
                st.setString(1, key);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? Optional.of(target(rs)) : Optional.<TargetRecord>empty();
                }
            }
        });
    }

    @Override
    public List<TargetRecord> targets(String keyPrefix) {
        return tx(() -> {
            List<TargetRecord> out = new ArrayList<>();
            try (PreparedStatement st = db.prepareStatement(TARGET_SELECT + " WHERE key >= ? AND key < ? ORDER BY key")) {
                st.setString(1, keyPrefix);
                st.setString(2, keyPrefix + "\uffff");
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(target(rs));
                    }
                }
            }
            return out;
        });
    }

    private static final String TARGET_SELECT = "SELECT key, service, engaged, owner_value, allow_since, decided_at, "
            + "reason, version FROM targets";

    private static TargetRecord target(ResultSet rs) throws SQLException {
        int owner = rs.getInt(4);
        Boolean ownerValue = rs.wasNull() ? null : owner == 1;
        long since = rs.getLong(5);
        Instant allowSince = rs.wasNull() ? null : Instant.ofEpochMilli(since);
        long decided = rs.getLong(6);
        Instant decidedAt = rs.wasNull() ? null : Instant.ofEpochMilli(decided);
        return new TargetRecord(rs.getString(1), rs.getString(2), rs.getInt(3) == 1, ownerValue, allowSince, decidedAt,
                rs.getString(7), rs.getLong(8));
    }

    @Override
    public boolean commitTarget(TargetRecord r, List<OutboxEntry> entries) {
        return atomically(() -> putTarget(r) && addOutbox(entries));
    }

    /** The versioned write of {@link #commitTarget} without the outbox (package use: write-behind replay). */
    boolean putTarget(TargetRecord r) {
        return tx(() -> {
            String sql = r.version() == 1
                    ? "INSERT INTO targets (service, engaged, owner_value, allow_since, decided_at, reason, version, key) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING"
                    : "UPDATE targets SET service = ?, engaged = ?, owner_value = ?, allow_since = ?, decided_at = ?, "
                            + "reason = ?, version = ? WHERE key = ? AND version = ?";
            try (PreparedStatement st = db.prepareStatement(sql)) {
                st.setString(1, r.service());
                st.setInt(2, r.engaged() ? 1 : 0);
                if (r.ownerValue() == null) {
                    st.setNull(3, java.sql.Types.INTEGER);
                } else {
                    st.setInt(3, r.ownerValue() ? 1 : 0);
                }
                setInstant(st, 4, r.allowSince());
                setInstant(st, 5, r.decidedAt());
                st.setString(6, r.reason());
                st.setLong(7, r.version());
                st.setString(8, r.key());
                if (r.version() != 1) {
                    st.setLong(9, r.version() - 1);
                }
                return st.executeUpdate() == 1;
            }
        });
    }

    private static void setInstant(PreparedStatement st, int index, Instant at) throws SQLException {
        if (at == null) {
            st.setNull(index, java.sql.Types.INTEGER);
        } else {
            st.setLong(index, at.toEpochMilli());
        }
    }

    @Override
    public Map<String, Long> marks(String prefix) {
        return tx(() -> {
            Map<String, Long> out = new TreeMap<>();
            try (PreparedStatement st = db.prepareStatement("SELECT key, value FROM marks WHERE key >= ? AND key < ?")) {
                st.setString(1, prefix);
                st.setString(2, prefix + "\uffff");
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public void confirmLatest(Instant at, java.util.Collection<String> budgets) {
        tx(() -> {
            PreparedStatement st = statement("INSERT INTO confirmations (budget, at) VALUES (?, ?) "
                    + "ON CONFLICT (budget) DO UPDATE SET at = max(at, excluded.at)");
            st.clearBatch(); // nothing left over from a batch that failed
            for (String b : budgets) {
                st.setString(1, b);
                st.setLong(2, at.getEpochSecond());
                st.addBatch();
            }
            return st.executeBatch().length;
        });
    }

    @Override
    public Map<String, Instant> confirmations() {
        return tx(() -> {
            Map<String, Instant> out = new java.util.HashMap<>();
            try (PreparedStatement st = db.prepareStatement("SELECT budget, at FROM confirmations");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), Instant.ofEpochSecond(rs.getLong(2)));
                }
            }
            return out;
        });
    }

    @Override
    public void putMark(String key, long value) {
        tx(() -> {
            try (PreparedStatement st = db.prepareStatement("INSERT INTO marks (key, value) VALUES (?, ?) "
                    + "ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
                st.setString(1, key);
                st.setLong(2, value);
                return st.executeUpdate();
            }
        });
    }

    @Override
    public void clearMark(String key) {
        tx(() -> {
            try (PreparedStatement st = db.prepareStatement("DELETE FROM marks WHERE key = ?")) {
                st.setString(1, key);
                return st.executeUpdate();
            }
        });
    }

}
