package io.github.flinkdbt.cluster.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.RemoteAccess;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.run.RunOutcome;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote cluster behind TLS and basic auth, as a gateway in front of a session cluster would put
 * it: a real HTTPS server with a certificate made for the test, which refuses every request
 * without the credentials and forwards the rest to the suite's standalone cluster. The run gets
 * in with a trust store and the credentials, and prints neither.
 */
@ExtendWith(SharedCluster.Resolver.class)
class RemoteAccessTest {

    private static final String PASSWORD = "s3cret-Zq81-never-shown";
    private static final String BASIC =
            "Basic " + Base64.getEncoder().encodeToString(("flink:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    private static final Set<String> HOP_BY_HOP =
            Set.of("connection", "content-length", "host", "transfer-encoding", "expect", "upgrade", "date");

    @TempDir
    Path dir;

    private HttpsServer gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.stop(0);
        }
    }

    @Test
    void aClusterBehindTlsAndBasicAuthIsReachedWithTheServersTrustStoreAndCredentials(SharedCluster cluster)
            throws Exception {
        Path trustStore = certificates();
        URI url = gatewayTo(cluster.restUrl());
        Path project = TestProjects.counter(dir.resolve("counter"), 1000, 500);

        assertThatThrownBy(() -> FlinkDbt.run(settings(project, url, RemoteAccess.NONE), invocation(new ArrayList<>())))
                .isInstanceOf(FlinkDbtException.class)
                .hasMessageContaining("presents a TLS certificate this JVM does not trust")
                .hasMessageContaining("-Dflink-dbt.serverId=<server id>");
        assertThatThrownBy(() -> FlinkDbt.run(
                        settings(project, url, new RemoteAccess(Map.of(), trustStore, "trust-pw")),
                        invocation(new ArrayList<>())))
                .hasMessageContaining("refused the request (HTTP 401): it asks for credentials");
        assertThatThrownBy(() -> FlinkDbt.run(
                        settings(
                                project,
                                url,
                                new RemoteAccess(Map.of("Authorization", "Basic d3Jvbmc="), trustStore, "trust-pw")),
                        invocation(new ArrayList<>())))
                .hasMessageContaining(
                        "refused the request (HTTP 401) with the credentials of its <server> in settings.xml ([Authorization])");

        List<String> log = Collections.synchronizedList(new ArrayList<>());
        RunOutcome outcome = FlinkDbt.run(
                settings(project, url, new RemoteAccess(Map.of("Authorization", BASIC), trustStore, "trust-pw")),
                invocation(log));
        assertThat(outcome.models())
                .singleElement()
                .satisfies(m -> assertThat(m.status()).isEqualTo("success"));
        assertThat(String.join("\n", log)).contains("Flink cluster, web UI at " + url);
        assertThat(TestProjects.query(dir.resolve("home"), "SELECT cnt, max_id FROM flink_dbt.counter.tick_count"))
                .containsExactly("ROW +I[500, 500]");
        // the secrets are nowhere the run wrote
        assertThat(String.join("\n", log)).doesNotContain(PASSWORD).doesNotContain(BASIC.substring(6));
        try (Stream<Path> files = Files.walk(project.resolve("target"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertThat(text).as(file.toString()).doesNotContain(PASSWORD).doesNotContain(BASIC.substring(6));
            }
        }
        assertThat(new RemoteAccess(Map.of("Authorization", BASIC), trustStore, "trust-pw").toString())
                .doesNotContain(PASSWORD)
                .doesNotContain("trust-pw")
                .doesNotContain(BASIC.substring(6));
    }

    private Settings settings(Path project, URI url, RemoteAccess access) {
        return TestProjects.settings(project)
                .defaultName("counter")
                .home(dir.resolve("home"))
                .cluster(url)
                .access(access)
                .build();
    }

    private static Invocation invocation(List<String> log) {
        return TestProjects.invocation(TestProjects.capturing(log))
                .pluginClasspath(TestProjects.testClasspath())
                .build();
    }

    /** A key pair for the gateway (CN=localhost) and a trust store with its certificate, by keytool. */
    private Path certificates() throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        keytool(
                keytool,
                "-genkeypair",
                "-alias",
                "gateway",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                dir.resolve("gateway.p12").toString(),
                "-storepass",
                "gateway-pw",
                "-keypass",
                "gateway-pw");
        keytool(
                keytool,
                "-exportcert",
                "-alias",
                "gateway",
                "-keystore",
                dir.resolve("gateway.p12").toString(),
                "-storepass",
                "gateway-pw",
                "-file",
                dir.resolve("gateway.cer").toString());
        keytool(
                keytool,
                "-importcert",
                "-noprompt",
                "-alias",
                "gateway",
                "-file",
                dir.resolve("gateway.cer").toString(),
                "-keystore",
                dir.resolve("trust.p12").toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "trust-pw");
        return dir.resolve("trust.p12");
    }

    private static void keytool(Path keytool, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
    }

    /** HTTPS on localhost, refusing what lacks the credentials, forwarding the rest to {@code cluster}. */
    private URI gatewayTo(URI cluster) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("gateway.p12"))) {
            keys.load(in, "gateway-pw".toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, "gateway-pw".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);
        HttpClient client = HttpClient.newHttpClient();
        gateway = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        gateway.setHttpsConfigurator(new HttpsConfigurator(tls));
        gateway.setExecutor(Executors.newCachedThreadPool());
        gateway.createContext("/", exchange -> {
            try (exchange) {
                if (!BASIC.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    exchange.sendResponseHeaders(401, -1);
                    return;
                }
                byte[] body = exchange.getRequestBody().readAllBytes();
                HttpRequest.Builder request = HttpRequest.newBuilder(
                                cluster.resolve(exchange.getRequestURI().toString()))
                        .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
                exchange.getRequestHeaders().forEach((name, values) -> {
                    if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))
                            && !name.equalsIgnoreCase("Authorization")) {
                        values.forEach(value -> request.header(name, value));
                    }
                });
                HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                response.headers()
                        .firstValue("Content-Type")
                        .ifPresent(type -> exchange.getResponseHeaders().add("Content-Type", type));
                byte[] bytes = response.body();
                exchange.sendResponseHeaders(response.statusCode(), bytes.length == 0 ? -1 : bytes.length);
                if (bytes.length > 0) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(bytes);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        gateway.start();
        return URI.create("https://localhost:" + gateway.getAddress().getPort());
    }
}
