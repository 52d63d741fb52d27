package io.github.flinkdbt.report.docs;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.flinkdbt.common.FlinkDbtException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Serves the docs site on localhost only (the files are the site; nothing is computed per request). */
public final class DocsServer implements AutoCloseable {

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "json", "application/json",
            "png", "image/png");

    private final HttpServer server;
    private final Path root;

    private DocsServer(HttpServer server, Path root) {
        this.server = server;
        this.root = root;
    }

    /** @param port 0 for any free port */
    public static DocsServer start(Path directory, int port, String portHint) {
        Path root = directory.toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve(DocsSite.INDEX))) {
            throw new FlinkDbtException("No docs site in " + root + " to serve.");
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (BindException e) {
            throw new FlinkDbtException("Cannot serve the docs on port " + port
                    + ": it is in use.\nServe them on another" + " port: " + portHint + ", or open "
                    + root.resolve(DocsSite.INDEX).toUri() + " directly.");
        } catch (IOException e) {
            throw new FlinkDbtException("Cannot serve the docs: " + e.getMessage(), e);
        }
        DocsServer docs = new DocsServer(server, root);
        server.createContext("/", docs::handle);
        server.start();
        return docs;
    }

    public URI url() {
        return URI.create("http://localhost:" + server.getAddress().getPort() + "/");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Path file = root.resolve(path.equals("/") ? DocsSite.INDEX : path.substring(1))
                    .normalize();
            if (!exchange.getRequestMethod().equals("GET") || !file.startsWith(root) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String name = file.getFileName().toString();
            String type = TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1), "application/octet-stream");
            byte[] body = Files.readAllBytes(file);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
