package io.github.flinkdbt.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinkdbt.api.Command;
import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.Option;
import io.github.flinkdbt.api.RemoteAccess;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.apache.flink.runtime.util.EnvironmentInformation;

/**
 * The first contact with a remote cluster, before anything is submitted: it answers (asked again
 * with backoff while it is unreachable or answers 5xx), it is a Flink REST API, and it runs the
 * Flink version this plugin plans for.
 */
final class RemoteCluster {

    private static final List<Duration> BACKOFF =
            List.of(Duration.ZERO, Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2));
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private RemoteCluster() {}

    /** Checks the cluster at {@code address}, reached with {@code access}; returns its Flink version. */
    static String check(URI address, RemoteAccess access, Hints hints) {
        if (address.getScheme() == null
                || !List.of("http", "https").contains(address.getScheme())
                || address.getHost() == null) {
            throw new FlinkDbtException("The Flink cluster's REST URL " + address
                    + " is not an http(s) URL with a host, like http://flink-jobmanager:8081.");
        }
        try {
            InetAddress.getByName(address.getHost());
        } catch (UnknownHostException e) {
            throw unreachable(address, "unknown host " + address.getHost(), hints);
        }
        HttpClient client = RestProxy.client(access);
        HttpRequest.Builder builder = HttpRequest.newBuilder(address.resolve("/config"))
                .timeout(TIMEOUT)
                .GET();
        access.headers().forEach(builder::header);
        HttpRequest request = builder.build();
        String last = "";
        for (Duration wait : BACKOFF) {
            sleep(wait);
            HttpResponse<String> response;
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (SSLHandshakeException e) {
                throw new FlinkDbtException("The Flink cluster at " + address + " presents a TLS certificate this JVM "
                        + "does not trust (" + e.getMessage()
                        + "). Put its certificate (or its CA's) in a trust store and "
                        + "name it in the cluster's <server> of settings.xml (<configuration><trustStore>…</trustStore>"
                        + "<trustStorePassword>…</trustStorePassword></configuration>), then: "
                        + hints.set(Option.SERVER_ID, "<server id>"));
            } catch (ConnectException e) {
                last = "connection refused";
                continue;
            } catch (HttpTimeoutException e) {
                last = "no answer within " + TIMEOUT.toSeconds() + " s";
                continue;
            } catch (IOException e) {
                last = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FlinkDbtException("Interrupted while reaching the Flink cluster at " + address, e);
            }
            int status = response.statusCode();
            if (status >= 500) {
                last = "HTTP " + status;
                continue;
            }
            if (status == 401 || status == 403) {
                throw new FlinkDbtException("The Flink cluster at " + address + " refused the request (HTTP " + status
                        + (access.headers().isEmpty()
                                ? "): it asks for credentials. Put them in a <server> of settings.xml (<username> and "
                                        + "<password> for basic auth, or <configuration><httpHeaders> for a token) and "
                                        + "name it: " + hints.set(Option.SERVER_ID, "<server id>")
                                : ") with the credentials of its <server> in settings.xml ("
                                        + access.headers().keySet() + "). Check them; nothing was submitted."));
            }
            JsonNode config = status == 200 ? parse(response.body()) : null;
            if (config == null || !config.hasNonNull("flink-version")) {
                throw new FlinkDbtException(
                        "What answers at " + address + " is not a Flink REST API (GET /config: HTTP " + status
                                + "). Check the URL: it is the JobManager's REST address, like http://flink-jobmanager:8081.");
            }
            String version = config.get("flink-version").asText();
            String planner = EnvironmentInformation.getVersion();
            if (!version.equals(planner)) {
                throw new FlinkDbtException("The Flink cluster at " + address + " runs Flink " + version
                        + ", but the models are planned for Flink " + planner + " (this plugin's). A compiled plan "
                        + "is only guaranteed to run on the Flink version that planned it, so nothing was submitted. "
                        + "Run the models on a Flink " + planner + " cluster (" + hints.command(Command.START_CLUSTER)
                        + " starts one here), or use the plugin version built for Flink " + version + ".");
            }
            return version;
        }
        throw unreachable(
                address,
                last + " (asked " + BACKOFF.size() + " times in "
                        + BACKOFF.stream().mapToLong(Duration::toMillis).sum() / 1000.0 + " s)",
                hints);
    }

    private static FlinkDbtException unreachable(URI address, String why, Hints hints) {
        return new FlinkDbtException("Cannot reach the Flink cluster at " + address + ": " + why + ".\n"
                + "Check the URL, or start a cluster on this machine: " + hints.command(Command.START_CLUSTER));
    }

    private static JsonNode parse(String body) {
        try {
            return Json.read(body);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void sleep(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlinkDbtException("Interrupted while reaching a Flink cluster", e);
        }
    }
}
