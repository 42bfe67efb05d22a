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

/**
 * The status API's own handler on a loopback port: the dashboard and JSON of the local runtime.
 *
 * <p>Bounded and guarded: request bodies of at most {@link #MAX_BODY} bytes (413 beyond), at most 100 headers of
 * 16 KiB in all, 10 s to send a request and 30 s to take a response (a slow client is cut off, not waited for),
 * and a pool sized for many clients. Only requests addressed to the loopback host are answered (a page of another
 * site cannot reach it by DNS rebinding), and a write needs a JSON body, no foreign {@code Origin}, and the
 * per-run token printed at start in {@code X-EBM-Token} (a page of another site cannot forge one).
 */
public final class LocalServer implements AutoCloseable {

    /** The largest request body read; an override is a few hundred bytes. */
    public static final int MAX_BODY = 64 * 1024;
    public static final String TOKEN_HEADER = "X-EBM-Token";
    /** Workers: enough that clients trickling their headers (each held up to 10 s) do not starve the others. */
    static final int POOL_THREADS = 128;

    private final HttpServer server;
    private final ExecutorService pool;
    private final String token;

    private LocalServer(HttpServer server, ExecutorService pool, String token) {
        this.server = server;
        this.pool = pool;
        this.token = token;
    }

    /** Serves {@code api} on 127.0.0.1:{@code port} (0: any free port). Local writes act as the OS user. */
    public static LocalServer start(StatusApi api, int port) throws IOException {
        // without TCP_NODELAY every keep-alive response waits out the client's delayed ACK (about 40 ms)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        // the JDK server's own limits: headers, and the time a request and a response may take (seconds)
        System.setProperty("sun.net.httpserver.maxReqHeaders", "100");
        System.setProperty("sun.net.httpserver.maxReqHeaderSize", String.valueOf(16 * 1024));
        System.setProperty("sun.net.httpserver.maxReqTime", "10");
        System.setProperty("sun.net.httpserver.maxRspTime", "30");
        // a refused body is not read to its end: the connection is closed instead of waiting for the rest
        System.setProperty("sun.net.httpserver.drainAmount", "0");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        // the JDK server reads a request's headers on the worker: a slow client holds one until maxReqTime
        ExecutorService pool = Executors.newFixedThreadPool(POOL_THREADS);
        String caller = "local:" + System.getProperty("user.name");
        byte[] random = new byte[16];
        new java.security.SecureRandom().nextBytes(random);
        String token = java.util.HexFormat.of().formatHex(random);
        LocalServer local = new LocalServer(server, pool, token);
        server.createContext("/", exchange -> local.answer(api, exchange, caller));
        server.setExecutor(pool);
        server.start();
        return local;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The per-run token a write must carry in {@value #TOKEN_HEADER}. */
    public String token() {
        return token;
    }

    private void answer(StatusApi api, HttpExchange ex, String caller) throws IOException {
        try (ex; InputStream in = ex.getRequestBody()) {
            Map<String, String> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            String path = ex.getRequestURI().getPath();
            HttpResponse r = refused(ex.getRequestMethod(), path, headers);
            // at most MAX_BODY + 1 bytes are ever read; a refused request's (small) body is read and dropped, so
            // that the connection can carry on
            byte[] raw = r != null && r.status() == 413 ? new byte[0] : in.readNBytes(MAX_BODY + 1);
            boolean tooLarge = raw.length > MAX_BODY || (r != null && r.status() == 413);
            if (tooLarge) {
                // the rest of the body is never read: the connection closes after the answer
                ex.getResponseHeaders().set("Connection", "close");
            }
            if (r == null) {
                if (raw.length > MAX_BODY) {
                    r = StatusApi.problem(413, "Body too large", "a request body may hold at most " + MAX_BODY
                            + " bytes", path);
                } else {
                    r = api.handle(new HttpRequest(ex.getRequestMethod(), path, query(ex.getRequestURI().getRawQuery()),
                            headers, new String(raw, StandardCharsets.UTF_8), caller));
                }
            }
            r.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            byte[] bytes = r.body().getBytes(StandardCharsets.UTF_8);
            boolean empty = r.status() == 204 || r.status() == 304 || bytes.length == 0;
            ex.sendResponseHeaders(r.status(), empty ? -1 : bytes.length);
            OutputStream out = ex.getResponseBody();
            if (!empty) {
                out.write(bytes);
            }
            out.flush(); // sent before the exchange closes, whatever closing does with an unread body
            out.close();
        }
    }

    /** Why a request is not answered before it is read: a wrong host, a long body, or a write not from us. */
    private HttpResponse refused(String method, String path, Map<String, String> headers) {
        int port = port();
        String host = headers.getOrDefault("host", "");
        if (!host.equals("127.0.0.1:" + port) && !host.equals("localhost:" + port)) {
            return StatusApi.problem(421, "Misdirected request", "this server answers 127.0.0.1:" + port
                    + " and localhost:" + port + " only, got Host '" + host + "'", path);
        }
        String length = headers.get("content-length");
        if (length != null && (!length.matches("\\d{1,18}") || Long.parseLong(length) > MAX_BODY)) {
            return StatusApi.problem(413, "Body too large", "a request body may hold at most " + MAX_BODY + " bytes", path);
        }
        boolean write = !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS");
        if (!write) {
            return null;
        }
        String origin = headers.get("origin");
        if (origin != null && !origin.equals("http://127.0.0.1:" + port) && !origin.equals("http://localhost:" + port)) {
            return StatusApi.problem(403, "Forbidden", "writes are accepted from this server's own pages only, "
                    + "not from Origin '" + origin + "'", path);
        }
        if (!token.equals(headers.get(TOKEN_HEADER.toLowerCase(Locale.ROOT)))) {
            return StatusApi.problem(403, "Forbidden", "a write needs the header " + TOKEN_HEADER
                    + " with the token ebm serve printed when it started", path);
        }
        String type = headers.getOrDefault("content-type", "");
        if (method.equals("POST") && !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return StatusApi.problem(415, "Unsupported media type", "a write takes a body of type application/json, "
                    + "got '" + type + "'", path);
        }
        return null;
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
