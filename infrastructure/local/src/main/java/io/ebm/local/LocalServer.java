package io.ebm.local;

import io.ebm.engine.status.HttpRequest;
import io.ebm.engine.status.HttpResponse;
import io.ebm.engine.status.StatusApi;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The status API's own handler on a loopback port: the dashboard and JSON of the local runtime.
 *
 * <p>Bounded and guarded: the server's own limits ({@link LoopbackHttp}: bodies of at most {@link #MAX_BODY}
 * bytes, headers, time per request, a pool sized for slow clients), every refusal a problem document. Only
 * requests addressed to the loopback host are answered (a page of another site cannot reach it by DNS
 * rebinding), and a write needs a JSON body, no foreign {@code Origin}, and the per-run token printed at start in
 * {@code X-EBM-Token} (a page of another site cannot forge one).
 */
public final class LocalServer implements AutoCloseable {

    /** The largest request body read; an override is a few hundred bytes. */
    public static final int MAX_BODY = LoopbackHttp.MAX_BODY;
    public static final String TOKEN_HEADER = "X-EBM-Token";
    /** Workers: enough that clients trickling their requests (each held up to 30 s) do not starve the others. */
    static final int POOL_THREADS = 64;

    private final LoopbackHttp server;
    private final String token;

    private LocalServer(LoopbackHttp server, String token) {
        this.server = server;
        this.token = token;
    }

    /** Serves {@code api} on 127.0.0.1:{@code port} (0: any free port). Local writes act as the OS user. */
    public static LocalServer start(StatusApi api, int port) throws IOException {
        String caller = "local:" + System.getProperty("user.name");
        byte[] random = new byte[16];
        new java.security.SecureRandom().nextBytes(random);
        String token = java.util.HexFormat.of().formatHex(random);
        int[] bound = new int[1];
        LoopbackHttp http = LoopbackHttp.start(port, POOL_THREADS, new LoopbackHttp.Handler() {
            @Override
            public LoopbackHttp.Response handle(LoopbackHttp.Request r) {
                HttpResponse refused = refused(bound[0], token, r.method(), r.path(), r.headers());
                HttpResponse answer = refused != null ? refused : api.handle(new HttpRequest(r.method(), r.path(),
                        query(r.rawQuery()), r.headers(), new String(r.body(), StandardCharsets.UTF_8), caller));
                boolean head = r.method().equals("HEAD");
                return new LoopbackHttp.Response(answer.status(), answer.headers(),
                        head ? new byte[0] : bytes(answer.body()));
            }

            /** The last large body's bytes: a page drawn once a second is encoded once, not once a request. */
            private volatile Encoded last;

            private byte[] bytes(String body) {
                Encoded e = last;
                if (e != null && e.text() == body) {
                    return e.bytes();
                }
                byte[] b = body.getBytes(StandardCharsets.UTF_8);
                if (b.length > 16 * 1024) {
                    last = new Encoded(body, b);
                }
                return b;
            }

            @Override
            public LoopbackHttp.Response refuse(int status, String title, String detail) {
                HttpResponse p = StatusApi.problem(status, title, detail, "/");
                return new LoopbackHttp.Response(p.status(), p.headers(), p.body().getBytes(StandardCharsets.UTF_8));
            }
        });
        bound[0] = http.port();
        return new LocalServer(http, token);
    }

    public int port() {
        return server.port();
    }

    /** The per-run token a write must carry in {@value #TOKEN_HEADER}. */
    public String token() {
        return token;
    }

    /** Why a request is not answered: a wrong host, or a write not from this server's own user. */
    static HttpResponse refused(int port, String token, String method, String path, Map<String, String> headers) {
        String host = headers.getOrDefault("host", "");
        if (!host.equals("127.0.0.1:" + port) && !host.equals("localhost:" + port)) {
            return StatusApi.problem(421, "Misdirected request", "this server answers 127.0.0.1:" + port
                    + " and localhost:" + port + " only, got Host '" + host + "'", path);
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
            try {
                out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                out.put(k, v); // not valid percent-encoding: passed on as written, for the route to refuse
            }
        }
        return out;
    }

    private record Encoded(String text, byte[] bytes) {
    }

    @Override
    public void close() {
        server.close();
    }
}
