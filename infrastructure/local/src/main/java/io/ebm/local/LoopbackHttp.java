package io.ebm.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A small HTTP/1.1 server on a loopback port, with keep-alive: what {@code ebm serve} needs, with every
 * limit its own and every refusal answered by the caller's handler (a problem document), never by a server's
 * built-in page. Limits: a request line of 8 KiB, at most 100 headers of 16 KiB in all, bodies of
 * {@link #MAX_BODY} bytes with a Content-Length (no chunked uploads), 10 s of silence and 30 s in all to send a
 * request; a connection idle for {@link #IDLE_MILLIS} between requests, or after {@link #MAX_REQUESTS_PER_CONNECTION}
 * requests, is closed; a queue of waiting connections, beyond which the answer is 503.
 */
final class LoopbackHttp implements AutoCloseable {

    static final int MAX_BODY = 64 * 1024;
    static final int MAX_LINE = 8 * 1024;
    static final int MAX_HEADERS = 100;
    static final int MAX_HEADER_BYTES = 16 * 1024;
    static final int SILENCE_MILLIS = 10_000;
    static final long REQUEST_MILLIS = 30_000;
    static final int IDLE_MILLIS = 5_000;
    static final int MAX_REQUESTS_PER_CONNECTION = 1000;

    /** One request as read: method, target (path and raw query), lower-case headers, body. */
    record Request(String method, String path, String rawQuery, Map<String, String> headers, byte[] body) {
    }

    /** One answer: status, headers, body. */
    record Response(int status, Map<String, String> headers, byte[] body) {
    }

    /** What the server does with requests, and how it words the refusals it makes itself. */
    interface Handler {
        Response handle(Request request);

        Response refuse(int status, String title, String detail);
    }

    private final ServerSocket socket;
    private final ThreadPoolExecutor workers;
    private final Thread acceptor;
    private final Handler handler;
    private volatile boolean closed;

    private LoopbackHttp(ServerSocket socket, Handler handler, int threads) {
        this.socket = socket;
        this.handler = handler;
        this.workers = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256),
                r -> {
                    Thread t = new Thread(r, "ebm-serve");
                    t.setDaemon(true);
                    return t;
                });
        this.acceptor = new Thread(this::acceptLoop, "ebm-serve-accept");
        this.acceptor.setDaemon(true);
    }

    static LoopbackHttp start(int port, int threads, Handler handler) throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        LoopbackHttp server = new LoopbackHttp(s, handler, threads);
        server.acceptor.start();
        return server;
    }

    int port() {
        return socket.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            try {
                workers.execute(() -> serve(client));
            } catch (RejectedExecutionException busy) {
                try {
                    write(client.getOutputStream(), handler.refuse(503, "Busy", "too many requests at once; try again"),
                            false);
                } catch (IOException gone) {
                    // the client is gone already
                }
                closeQuietly(client);
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            client.setTcpNoDelay(true);
            InputStream in = new java.io.BufferedInputStream(client.getInputStream());
            OutputStream out = new java.io.BufferedOutputStream(client.getOutputStream());
            for (int served = 0; served < MAX_REQUESTS_PER_CONNECTION && !closed; served++) {
                // between requests a connection may idle a little; a new request then has its own clock
                client.setSoTimeout(served == 0 ? SILENCE_MILLIS : IDLE_MILLIS);
                in.mark(1);
                try {
                    if (in.read() < 0) {
                        return; // the client closed between requests
                    }
                } catch (SocketTimeoutException idle) {
                    if (served > 0) {
                        return; // an idle keep-alive connection: closed without a word
                    }
                    throw idle;
                }
                in.reset();
                client.setSoTimeout(SILENCE_MILLIS);
                Response r;
                boolean keep;
                try {
                    Request request = read(in, System.currentTimeMillis() + REQUEST_MILLIS);
                    r = handler.handle(request);
                    keep = !"close".equalsIgnoreCase(request.headers().get("connection"))
                            && served + 1 < MAX_REQUESTS_PER_CONNECTION;
                } catch (Refusal refusal) {
                    r = handler.refuse(refusal.status, refusal.title, refusal.getMessage());
                    keep = false; // what follows on this connection cannot be trusted to be a request
                } catch (SocketTimeoutException slow) {
                    r = handler.refuse(408, "Request timeout", "the request took more than " + SILENCE_MILLIS / 1000
                            + " s of silence or " + REQUEST_MILLIS / 1000 + " s in all to arrive");
                    keep = false;
                }
                write(out, r, keep);
                if (!keep) {
                    client.shutdownOutput();
                    // let the client read the answer before the socket goes: drain a little of what it still sends
                    client.setSoTimeout(1000);
                    in.readNBytes(MAX_BODY);
                    return;
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the client went away, or the answer could not be written: nothing more to do for it
        }
    }

    /** A request this server refuses before the handler sees it. */
    private static final class Refusal extends RuntimeException {
        final int status;
        final String title;

        Refusal(int status, String title, String detail) {
            super(detail);
            this.status = status;
            this.title = title;
        }
    }

    private static Request read(InputStream in, long deadline) throws IOException {
        String line = line(in, MAX_LINE, deadline, "the request line");
        String[] parts = line.split(" ", -1);
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.") || parts[0].isEmpty() || !parts[1].startsWith("/")) {
            throw new Refusal(400, "Bad request", "expected a request line like 'GET /path HTTP/1.1'");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        int headerBytes = 0;
        while (true) {
            String h = line(in, MAX_HEADER_BYTES, deadline, "a header");
            if (h.isEmpty()) {
                break;
            }
            headerBytes += h.length();
            if (headers.size() >= MAX_HEADERS || headerBytes > MAX_HEADER_BYTES) {
                throw new Refusal(431, "Headers too large", "at most " + MAX_HEADERS + " headers of "
                        + MAX_HEADER_BYTES + " bytes in all");
            }
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new Refusal(400, "Bad request", "expected a header 'Name: value'");
            }
            headers.merge(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip(),
                    (a, b) -> a + "," + b);
        }
        if (headers.containsKey("transfer-encoding")) {
            throw new Refusal(411, "Length required", "send the body with a Content-Length (at most " + MAX_BODY
                    + " bytes), not chunked");
        }
        String length = headers.get("content-length");
        int n = 0;
        if (length != null) {
            if (!length.matches("\\d{1,18}")) {
                throw new Refusal(400, "Bad request", "Content-Length must be a number of bytes");
            }
            long announced = Long.parseLong(length);
            if (announced > MAX_BODY) {
                throw new Refusal(413, "Body too large", "a request body may hold at most " + MAX_BODY + " bytes");
            }
            n = (int) announced;
        }
        byte[] body = new byte[n];
        for (int got = 0; got < n; ) {
            int k = in.read(body, got, n - got);
            if (k < 0) {
                throw new Refusal(400, "Bad request", "the body ended before its Content-Length");
            }
            got += k;
            overdue(deadline);
        }
        String target = parts[1];
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? null : target.substring(q + 1);
        String decoded;
        try {
            decoded = java.net.URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Refusal(400, "Bad request", "the path is not valid percent-encoding");
        }
        return new Request(parts[0], decoded, query, headers, body);
    }

    /** One CRLF-terminated line of ASCII, at most {@code max} bytes, before the deadline. */
    private static String line(InputStream in, int max, long deadline, String what) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new Refusal(400, "Bad request", "the connection ended inside " + what);
            }
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                b.write(c);
            }
            if (b.size() > max) {
                boolean requestLine = what.equals("the request line");
                throw new Refusal(requestLine ? 414 : 431, requestLine ? "URI too long" : "Headers too large",
                        what + " is longer than " + max + " bytes");
            }
            overdue(deadline);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private static void overdue(long deadline) throws SocketTimeoutException {
        if (System.currentTimeMillis() > deadline) {
            throw new SocketTimeoutException("request deadline");
        }
    }

    private static void write(OutputStream out, Response r, boolean keepAlive) throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(r.status()).append(' ')
                .append(reason(r.status())).append("\r\n");
        r.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        boolean noBody = r.status() == 204 || r.status() == 304;
        if (!noBody) {
            head.append("Content-Length: ").append(r.body().length).append("\r\n");
        }
        head.append(keepAlive ? "Keep-Alive: timeout=" + IDLE_MILLIS / 1000 + "\r\n\r\n" : "Connection: close\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!noBody) {
            out.write(r.body());
        }
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 411 -> "Length Required";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 421 -> "Misdirected Request";
            case 431 -> "Request Header Fields Too Large";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing a socket we gave up on
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
        workers.shutdownNow();
    }
}
