package io.ebm.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ebm.engine.status.HttpRequest;
import io.ebm.engine.status.HttpResponse;
import io.ebm.engine.status.StatusApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The status API's own handler on a loopback port: the dashboard and JSON of the local runtime. */
public final class LocalServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService pool;

    private LocalServer(HttpServer server, ExecutorService pool) {
        this.server = server;
        this.pool = pool;
    }

    /** Serves {@code api} on 127.0.0.1:{@code port} (0: any free port). Local writes act as the OS user. */
    public static LocalServer start(StatusApi api, int port) throws IOException {
        // without TCP_NODELAY every keep-alive response waits out the client's delayed ACK (about 40 ms)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
        String caller = "local:" + System.getProperty("user.name");
        server.createContext("/", exchange -> answer(api, exchange, caller));
        server.setExecutor(pool);
        server.start();
        return new LocalServer(server, pool);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void answer(StatusApi api, HttpExchange ex, String caller) throws IOException {
        try (ex; InputStream in = ex.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            HttpResponse r = api.handle(new HttpRequest(ex.getRequestMethod(), ex.getRequestURI().getPath(),
                    query(ex.getRequestURI().getRawQuery()), headers, body, caller));
            r.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            byte[] bytes = r.body().getBytes(StandardCharsets.UTF_8);
            boolean empty = r.status() == 204 || r.status() == 304 || bytes.length == 0;
            ex.sendResponseHeaders(r.status(), empty ? -1 : bytes.length);
            if (!empty) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
