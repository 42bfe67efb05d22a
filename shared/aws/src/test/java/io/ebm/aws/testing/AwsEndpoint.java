package io.ebm.aws.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A real AWS-protocol endpoint for integration tests, chosen in this order: {@code AWS_ENDPOINT_URL} when set;
 * LocalStack through Testcontainers when a Docker engine answers; else a moto server (the moto package of the
 * machine's python3) started here on a free loopback port. Started once per JVM and stopped when it exits. It never skips: no endpoint is a failure.
 */
public final class AwsEndpoint {

    /** A LocalStack release from before auth tokens were required. */
    static final String LOCALSTACK_IMAGE = "localstack/localstack:3.8.1";

    /**
     * moto's own launcher ({@code python3 -m moto.server}) serves requests on many threads, and then two
     * conditional writes to one item can both succeed, which DynamoDB never allows. Served on one thread,
     * each request is atomic, as in the real service.
     */
    static final String MOTO_SINGLE_THREADED = String.join("\n",
            "import os, sys",
            "os.environ.setdefault('MOTO_PORT', sys.argv[1])",
            "from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app",
            "from werkzeug.serving import run_simple",
            "run_simple('127.0.0.1', int(sys.argv[1]), DomainDispatcherApplication(create_backend_app), threaded=False)");

    private static URI uri;
    private static String kind;

    private AwsEndpoint() {
    }

    public static synchronized URI uri() {
        if (uri == null) {
            start();
        }
        return uri;
    }

    /** Which endpoint the tests talk to, for test output. */
    public static synchronized String kind() {
        uri();
        return kind;
    }

    public static DynamoDbClient dynamoDb(ExecutionInterceptor... interceptors) {
        return client(DynamoDbClient.builder(), interceptors);
    }

    /** Any SDK client pointed at the endpoint, with test credentials, us-east-1 and the url-connection client. */
    public static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>
            & software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<B, C>, C> C client(
            B builder, ExecutionInterceptor... interceptors) {
        ClientOverrideConfiguration.Builder o = ClientOverrideConfiguration.builder();
        for (ExecutionInterceptor i : interceptors) {
            o.addExecutionInterceptor(i);
        }
        return builder
                .endpointOverride(uri())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o.build())
                .build();
    }

    private static void start() {
        String configured = System.getenv("AWS_ENDPOINT_URL");
        if (configured != null && !configured.isBlank()) {
            uri = URI.create(configured);
            kind = "AWS_ENDPOINT_URL " + configured;
            return;
        }
        if (dockerAnswers()) {
            org.testcontainers.containers.localstack.LocalStackContainer ls =
                    new org.testcontainers.containers.localstack.LocalStackContainer(
                            org.testcontainers.utility.DockerImageName.parse(LOCALSTACK_IMAGE));
            ls.start();
            Runtime.getRuntime().addShutdownHook(new Thread(ls::stop));
            uri = ls.getEndpoint();
            kind = "LocalStack " + LOCALSTACK_IMAGE;
            return;
        }
        startMoto();
    }

    private static boolean dockerAnswers() {
        if (!Files.exists(Path.of("/var/run/docker.sock")) && System.getenv("DOCKER_HOST") == null) {
            return false;
        }
        try {
            return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static void startMoto() {
        int port = freePort();
        Process p;
        try {
            Path log = Files.createTempFile("moto-", ".log");
            p = new ProcessBuilder("python3", "-c", MOTO_SINGLE_THREADED, Integer.toString(port))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
            URI candidate = URI.create("http://127.0.0.1:" + port);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (Instant.now().isBefore(deadline)) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("moto exited with " + p.exitValue() + ": " + Files.readString(log));
                }
                if (answers(candidate)) {
                    uri = candidate;
                    kind = "moto server on " + candidate;
                    return;
                }
                Thread.sleep(100);
            }
            p.destroy();
            throw new IllegalStateException("moto did not answer on " + candidate + " within 30 s: "
                    + Files.readString(log));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start moto (python3 with the moto package): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting moto", e);
        }
    }

    private static boolean answers(URI base) {
        try {
            HttpURLConnection c = (HttpURLConnection) base.resolve("/moto-api/").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(1000);
            int code = c.getResponseCode();
            c.disconnect();
            return code > 0;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }
}
