package io.ebm.local;

import io.ebm.core.port.StructuredLog;
import io.ebm.engine.status.StatusApi;
import io.ebm.store.SqliteBudgetStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** {@code seed} (exported data into the embedded store) and {@code serve} (the status API on loopback). */
final class ServeCommands {

    private ServeCommands() {
    }

    static int seed(List<String> args, PrintStream out) {
        Options o = new Options(args, Set.of("slo", "data", "policy", "db", "every", "copies"), "seed");
        Path db = o.get("db") == null ? Main.DEFAULT_DB : Path.of(o.get("db"));
        Duration every = o.duration("every", Duration.ofHours(1));
        int copies = o.integer("copies", 0, 0, 10_000);
        try (SqliteBudgetStore store = SqliteBudgetStore.open(db)) {
            int n = Seeder.seed(store, Path.of(o.required("slo", "seed")), Path.of(o.required("data", "seed")),
                    o.get("policy") == null ? null : Path.of(o.get("policy")), every, copies);
            out.println("seeded " + db + ": " + n + " snapshots");
        }
        return 0;
    }

    /** The store's own time: its newest snapshot's when that is in the past, the wall clock otherwise. */
    static Clock storeTime(SqliteBudgetStore store) {
        Clock wall = Clock.systemUTC();
        return store.newestSnapshotTime().filter(t -> t.isBefore(wall.instant()))
                .map(t -> Clock.fixed(t, java.time.ZoneOffset.UTC)).orElse(wall);
    }

    static int serve(List<String> args, PrintStream out, PrintStream err) {
        Options o = new Options(args, Set.of("db", "port"), "serve");
        Path db = o.get("db") == null ? Main.DEFAULT_DB : Path.of(o.get("db"));
        int port = o.integer("port", 8080, 0, 65_535);
        SqliteBudgetStore store = SqliteBudgetStore.open(db);
        try {
            // a replayed or seeded store is a past month: its time is its newest snapshot's, or every snapshot
            // would be stale by the wall clock (freshness is judged against the store's own now)
            Clock clock = storeTime(store);
            LocalServer server = LocalServer.start(new StatusApi(store, StructuredLog.to(err), clock,
                    io.ebm.core.policy.ReleaseSettings.DEFAULT_STALE_AFTER, StatusApi.READ_EVERY), port);
            out.println("serving " + db + " on http://127.0.0.1:" + server.port() + "/ as of " + clock.instant()
                    + " (Ctrl-C stops)");
            out.println("writes (POST /overrides, DELETE /overrides/{id}) need the header " + LocalServer.TOKEN_HEADER
                    + ": " + server.token());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                store.close();
            }));
            Thread.currentThread().join();
            return 0;
        } catch (IOException e) {
            throw new UsageException("serve: cannot listen on 127.0.0.1:" + port + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
