package io.github.flinkdbt.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.github.flinkdbt.api.RemoteAccess;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.mojo.MavenHints;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What stands between a wrong or unwell remote target and a submission: one clear message naming
 * the URL, retried only where asking again can help. The servers here are real HTTP servers
 * answering as a proxy in front of a cluster would (a Flink of another version is not at hand).
 */
class RemoteClusterTest {

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void aClosedPortIsAskedAgainWithBackoffThenNamed() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("localhost"))) {
            port = socket.getLocalPort();
        }
        URI url = URI.create("http://localhost:" + port);
        long start = System.nanoTime();
        assertThatThrownBy(() -> RemoteCluster.check(url, RemoteAccess.NONE, MavenHints.get()))
                .isInstanceOf(FlinkDbtException.class)
                .hasMessageStartingWith(
                        "Cannot reach the Flink cluster at " + url + ": connection refused (asked 4 times")
                .hasMessageContaining("mvn flink-dbt:start-cluster");
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(3_000);
    }

    @Test
    void anUnknownHostIsNamedAtOnce() {
        URI url = URI.create("http://no-such-host.invalid:8081");
        assertThatThrownBy(() -> RemoteCluster.check(url, RemoteAccess.NONE, MavenHints.get()))
                .hasMessageStartingWith(
                        "Cannot reach the Flink cluster at " + url + ": unknown host no-such-host.invalid");
    }

    @Test
    void aUrlThatIsNotHttpIsRefusedBeforeAnyCall() {
        assertThatThrownBy(() -> RemoteCluster.check(URI.create("localhost:8081"), RemoteAccess.NONE, MavenHints.get()))
                .hasMessageContaining("is not an http(s) URL with a host");
    }

    @Test
    void serverErrorsAreAskedAgainAndThenReported() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        URI url = serve(503, "{}", calls);
        assertThatThrownBy(() -> RemoteCluster.check(url, RemoteAccess.NONE, MavenHints.get()))
                .hasMessageStartingWith("Cannot reach the Flink cluster at " + url + ": HTTP 503 (asked 4 times");
        assertThat(calls).hasValue(4);
    }

    @Test
    void refusedCredentialsAreNotAskedAgain() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        URI url = serve(401, "{}", calls);
        assertThatThrownBy(() -> RemoteCluster.check(url, RemoteAccess.NONE, MavenHints.get()))
                .hasMessageContaining("The Flink cluster at " + url + " refused the request (HTTP 401)")
                .hasMessageContaining("-Dflink-dbt.serverId=<server id>");
        assertThat(calls).hasValue(1);
    }

    @Test
    void somethingElseThanFlinkIsNamed() throws IOException {
        URI url = serve(404, "<html>not found</html>", new AtomicInteger());
        assertThatThrownBy(() -> RemoteCluster.check(url, RemoteAccess.NONE, MavenHints.get()))
                .hasMessageStartingWith("What answers at " + url + " is not a Flink REST API (GET /config: HTTP 404)");
    }

    @Test
    void anotherFlinkVersionIsRefusedNamingBoth() throws IOException {
        URI url = serve(200, "{\"flink-version\": \"1.20.1\", \"flink-revision\": \"abc\"}", new AtomicInteger());
        assertThatThrownBy(() -> RemoteCluster.check(url, RemoteAccess.NONE, MavenHints.get()))
                .hasMessageStartingWith(
                        "The Flink cluster at " + url + " runs Flink 1.20.1, but the models are planned for Flink "
                                + EnvironmentInformation.getVersion())
                .hasMessageContaining("nothing was submitted");
    }

    @Test
    void theSameVersionPasses() throws IOException {
        String version = EnvironmentInformation.getVersion();
        URI url = serve(200, "{\"flink-version\": \"" + version + "\"}", new AtomicInteger());
        assertThat(RemoteCluster.check(url, RemoteAccess.NONE, MavenHints.get()))
                .isEqualTo(version);
    }

    private URI serve(int status, String body, AtomicInteger calls) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("localhost"), 0), 0);
        server.createContext("/", exchange -> {
            calls.incrementAndGet();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return URI.create("http://localhost:" + server.getAddress().getPort());
    }
}
