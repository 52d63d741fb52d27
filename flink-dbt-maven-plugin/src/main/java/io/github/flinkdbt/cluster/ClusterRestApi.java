package io.github.flinkdbt.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinkdbt.common.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** Reads a Flink cluster's REST API: its version, overview, TaskManagers and jobs. */
public final class ClusterRestApi {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final URI address;
    private final HttpClient client;

    public ClusterRestApi(URI address) {
        this.address = address;
        this.client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    public URI address() {
        return address;
    }

    /**
     * The JSON at {@code path} (e.g. {@code /overview}); empty when nothing answers there or it does
     * not answer with 200 within {@code timeout}.
     */
    public Optional<JsonNode> get(String path, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(address.resolve(path))
                .timeout(timeout)
                .GET()
                .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(Json.read(response.body())) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The Flink version the cluster reports ({@code /config}); empty when it does not answer. */
    public Optional<String> flinkVersion(Duration timeout) {
        return get("/config", timeout)
                .map(config -> config.path("flink-version").asText(""));
    }
}
