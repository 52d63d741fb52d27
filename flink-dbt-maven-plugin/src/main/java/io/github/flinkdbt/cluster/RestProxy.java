package io.github.flinkdbt.cluster;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.flinkdbt.api.RemoteAccess;
import io.github.flinkdbt.common.FlinkDbtException;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A forwarder on localhost in front of a remote cluster's REST API that speaks TLS to it and adds
 * the access headers to every request. Flink's REST client can do neither by itself (no custom
 * headers; TLS only through cluster-wide options), so every call of this JVM — Flink's client
 * included — goes through here when the cluster needs either. Only this JVM can reach it.
 */
final class RestProxy implements AutoCloseable {

    /** Headers that describe one hop, or that Java's HTTP client sets itself. */
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection", "content-length", "expect", "host", "upgrade", "transfer-encoding", "keep-alive", "date");

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final HttpServer server;
    private final ExecutorService threads;

    private RestProxy(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /** Whether the cluster at {@code address} needs a forwarder: TLS, or headers to add. */
    static boolean needed(URI address, RemoteAccess access) {
        return "https".equals(address.getScheme()) || !access.nothingSet();
    }

    /** An HTTP client that trusts what {@code access} says (the JVM's certificates by default). */
    static HttpClient client(RemoteAccess access) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER);
        if (access.trustStore() != null) {
            builder.sslContext(sslContext(access));
        }
        return builder.build();
    }

    /** Starts a forwarder to {@code target}. */
    static RestProxy start(URI target, RemoteAccess access) {
        HttpClient client = client(access);
        ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "flink-dbt-rest-proxy");
            thread.setDaemon(true);
            return thread;
        });
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(threads);
            server.createContext("/", exchange -> forward(exchange, target, client, access.headers()));
            server.start();
            return new RestProxy(server, threads);
        } catch (IOException e) {
            threads.shutdownNow();
            throw new FlinkDbtException(
                    "Cannot open a local port to reach the Flink cluster at " + target + ": " + e.getMessage(), e);
        }
    }

    /** Where this JVM's clients call instead of the cluster. */
    URI address() {
        return URI.create("http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":"
                + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private static void forward(HttpExchange exchange, URI target, HttpClient client, Map<String, String> headers)
            throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(
                            target.resolve(exchange.getRequestURI().toString()))
                    .timeout(TIMEOUT)
                    .method(
                            exchange.getRequestMethod(),
                            body.length == 0
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))
                        && !headers.keySet().stream().anyMatch(name::equalsIgnoreCase)) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            headers.forEach(request::header);
            HttpResponse<byte[]> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                byte[] message = ("{\"errors\":[\"flink-dbt could not reach " + target + ": "
                                + e.getClass().getSimpleName() + "\"]}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(502, message.length);
                exchange.getResponseBody().write(message);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            response.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, List.copyOf(values));
                }
            });
            byte[] bytes = response.body();
            exchange.sendResponseHeaders(response.statusCode(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    private static SSLContext sslContext(RemoteAccess access) {
        char[] password = access.trustStorePassword() == null
                ? null
                : access.trustStorePassword().toCharArray();
        try (InputStream in = new FileInputStream(access.trustStore().toFile())) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(in, password);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new FlinkDbtException(
                    "Cannot read the trust store " + access.trustStore() + " of the Flink cluster's "
                            + "<server> in settings.xml: " + e.getMessage()
                            + ". Check its path and trustStorePassword.",
                    e);
        }
    }
}
