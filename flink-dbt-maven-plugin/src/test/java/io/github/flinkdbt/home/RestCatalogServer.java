package io.github.flinkdbt.home;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Iceberg's own REST catalog server ({@code org.apache.iceberg.rest.RESTCatalogServer} from
 * iceberg-open-api's test fixtures) as a process of its own, over a JDBC (SQLite) catalog and a
 * warehouse directory: a catalog that outlives every JVM of a run, as Polaris or Lakekeeper would.
 */
public final class RestCatalogServer implements AutoCloseable {

    private final Process process;
    private final URI uri;
    private final Path log;

    private RestCatalogServer(Process process, URI uri, Path log) {
        this.process = process;
        this.uri = uri;
        this.log = log;
    }

    public static RestCatalogServer start(Path dir) throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Files.createDirectories(dir);
        Path lib = Path.of(System.getProperty("test.tools.lib", "target/test-tools-lib"));
        Path log = dir.resolve("rest-catalog.log");
        ProcessBuilder builder = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-cp",
                        lib.resolve("*").toString(),
                        "org.apache.iceberg.rest.RESTCatalogServer"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("CATALOG_REST_PORT", String.valueOf(port));
        builder.environment().put("CATALOG_WAREHOUSE", dir.resolve("warehouse").toString());
        builder.environment().put("CATALOG_URI", "jdbc:sqlite:" + dir.resolve("catalog.db"));
        RestCatalogServer server = new RestCatalogServer(builder.start(), URI.create("http://localhost:" + port), log);
        server.awaitReady();
        return server;
    }

    public URI uri() {
        return uri;
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The REST catalog server died:\n" + Files.readString(log));
            }
            try {
                HttpURLConnection connection =
                        (HttpURLConnection) uri.resolve("/v1/config").toURL().openConnection();
                if (connection.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        close();
        throw new IllegalStateException("The REST catalog server did not answer:\n" + Files.readString(log));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
