package io.ebm.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebm.core.port.StructuredLog;
import io.ebm.engine.status.StatusApi;
import io.ebm.store.SqliteBudgetStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What another web page, a careless script or a hostile client can do to {@code ebm serve} over loopback: every
 * case answered with a status and a problem document, and nothing written.
 */
class LocalServerGuardsTest {

    static SqliteBudgetStore store;
    static LocalServer server;
    static String base;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        Path dir = Files.createTempDirectory("ebm-guards");
        store = SqliteBudgetStore.open(dir.resolve("ebm.db"));
        Seeder.seed(store, Path.of("../../events/slos"), Path.of("../../events/data/sample-30d.csv"),
                Path.of("../../events/policies/default-policy.yaml"), Duration.ofDays(1), 0);
        server = LocalServer.start(new StatusApi(store, (StructuredLog) line -> { },
                Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC)), 0);
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
    }

    static HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.Builder post(String body) {
        return HttpRequest.newBuilder(URI.create(base + "/overrides")).POST(HttpRequest.BodyPublishers.ofString(body));
    }

    static final String OVERRIDE = "{\"service\":\"checkout-api\",\"expires\":\"2026-12-01T02:00:00Z\","
            + "\"reason\":\"hotfix for INC-7\"}";

    static void assertProblem(HttpResponse<String> r, int status, String detail) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(r.body()).contains("\"status\":" + status).contains(detail);
    }

    static void assertNothingWritten() {
        assertThat(store.overrides("checkout-api")).isEmpty();
    }

    @Test
    void aCrossSiteWriteIsRefused() throws Exception {
        // a page elsewhere can send text/plain without a preflight, but it cannot read or know the token
        assertProblem(send(post(OVERRIDE).header("Content-Type", "text/plain")), 403, "X-EBM-Token");
        assertProblem(send(post(OVERRIDE).header("Content-Type", "application/json")
                .header("Origin", "https://evil.example").header(LocalServer.TOKEN_HEADER, server.token())),
                403, "not from Origin 'https://evil.example'");
        assertProblem(send(post(OVERRIDE).header("Content-Type", "text/plain")
                .header(LocalServer.TOKEN_HEADER, server.token())), 415, "application/json");
        assertNothingWritten();
    }

    @Test
    void badFieldsAndInstantsAreFourHundredsNotFiveHundreds() throws Exception {
        String[][] bodies = {
            {"{\"service\":\"checkout-api\",\"expires\":\"+1000000000-01-01T00:00:00Z\",\"reason\":\"r\"}",
                "expires must lie between"},
            {"{\"service\":\"checkout-api\",\"expires\":\"2026-12-01T02:00:00Z\",\"reason\":\"" + "x".repeat(1001) + "\"}",
                "reason must be at most 1000 characters"},
            {"{\"service\":\"<img src=x>\",\"expires\":\"2026-12-01T02:00:00Z\",\"reason\":\"r\"}", "service must be"},
            {"{\"service\":\"checkout-api\",\"expires\":\"2026-12-01T02:00:00Z\",\"reason\":7}", "field reason is required"},
        };
        for (String[] b : bodies) {
            assertProblem(send(post(b[0]).header("Content-Type", "application/json")
                    .header(LocalServer.TOKEN_HEADER, server.token())), 400, b[1]);
        }
        assertNothingWritten();
        for (String q : new String[] {"to=-1000000000-01-01T00:00:00Z", "from=2026-01-01T00:00:00Z&to=%2B99999-01-01T00:00:00Z"}) {
            assertProblem(send(HttpRequest.newBuilder(URI.create(base + "/slos/api-availability/history?" + q))), 400,
                    "must lie between");
        }
        assertProblem(send(HttpRequest.newBuilder(URI.create(base + "/nowhere"))), 404, "no resource at /nowhere");
    }

    @Test
    void aLargeBodyIsRefusedBeforeItIsRead() throws Exception {
        // 600 MB announced: the answer comes before any of it is read, and the connection is closed
        String response = raw("POST /overrides HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                + "\r\nContent-Type: application/json\r\n" + LocalServer.TOKEN_HEADER + ": " + server.token()
                + "\r\nContent-Length: 629145600\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 413").contains("application/problem+json").contains("at most 65536 bytes");
        // a chunked body (no length announced) is refused before any chunk is read: a length is required
        String chunked = raw("POST /overrides HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                + "\r\nContent-Type: application/json\r\n" + LocalServer.TOKEN_HEADER + ": " + server.token()
                + "\r\nTransfer-Encoding: chunked\r\n\r\n");
        assertThat(chunked).startsWith("HTTP/1.1 411").contains("application/problem+json").contains("Content-Length");
        assertNothingWritten();
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/slos"))).statusCode()).isEqualTo(200);
    }

    /** Sends bytes as they are and reads the whole answer: for requests no well-behaved client would send. */
    static String raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void whatNoClientShouldSendIsAProblemDocumentToo() throws Exception {
        String[][] cases = {
            {"GARBAGE\r\n\r\n", "HTTP/1.1 400", "expected a request line"},
            {"GET /" + "a".repeat(9000) + " HTTP/1.1\r\n\r\n", "HTTP/1.1 414", "longer than 8192 bytes"},
            {"GET / HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n",
                "HTTP/1.1 431", "longer than 16384 bytes"},
            {"GET / HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nContent-Length: lots\r\n\r\n",
                "HTTP/1.1 400", "Content-Length must be a number"},
            {"GET /slos/%zz HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n\r\n", "HTTP/1.1 400", "percent-encoding"},
        };
        for (String[] c : cases) {
            String response = raw(c[0]);
            assertThat(response).as(c[0].substring(0, Math.min(40, c[0].length()))).startsWith(c[1])
                    .contains("application/problem+json").contains(c[2]).doesNotContain("<h1>");
        }
    }

    @Test
    void aRequestForAnotherHostIsNotAnswered() throws Exception {
        // DNS rebinding: a name of the attacker's that resolves to 127.0.0.1
        String response = raw("GET /overrides?service=checkout-api HTTP/1.1\r\nHost: evil.example:" + server.port()
                + "\r\nConnection: close\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 421").contains("application/problem+json")
                .contains("answers 127.0.0.1:" + server.port());
    }

    @Test
    void aWriteWithTheTokenGoesThroughAndSlowClientsDoNotStarveOthers() throws Exception {
        Socket[] slow = new Socket[40];
        try {
            for (int i = 0; i < slow.length; i++) {
                slow[i] = new Socket("127.0.0.1", server.port()); // connected, never sending a request
                slow[i].getOutputStream().write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            HttpResponse<String> created = send(post(OVERRIDE.replace("checkout-api", "search"))
                    .header("Content-Type", "application/json")
                    .header("Origin", base).header(LocalServer.TOKEN_HEADER, server.token()).timeout(Duration.ofSeconds(5)));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(store.overrides("search")).hasSize(1);
            String id = store.overrides("search").get(0).id();
            HttpResponse<String> revoked = send(HttpRequest.newBuilder(URI.create(base + "/overrides/" + id
                    + "?service=search")).DELETE().header(LocalServer.TOKEN_HEADER, server.token()));
            assertThat(revoked.statusCode()).isEqualTo(204);
        } finally {
            for (Socket s : slow) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }
}
