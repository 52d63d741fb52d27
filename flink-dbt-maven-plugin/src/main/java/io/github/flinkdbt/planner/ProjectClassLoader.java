package io.github.flinkdbt.planner;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The class loader models are planned with: the project's classes and dependencies (its UDFs and
 * connectors) over the plugin's own classes.
 *
 * <p>Flink discovers table factories with a {@link java.util.ServiceLoader} every time it creates
 * a source or sink, which reads {@code META-INF/services} from every jar on the classpath (about 80
 * here), under each jar's lock. Planning hundreds of models on several threads spent most of its
 * time there. Service files are read once per build and served from memory.
 */
final class ProjectClassLoader extends URLClassLoader {

    private static final String SERVICES = "META-INF/services/";

    private final Map<String, List<URL>> services = new ConcurrentHashMap<>();

    ProjectClassLoader(URL[] urls, ClassLoader parent) {
        super("flink-dbt-project", urls, parent);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (!name.startsWith(SERVICES)) {
            return super.getResources(name);
        }
        try {
            return Collections.enumeration(services.computeIfAbsent(name, this::readServices));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private List<URL> readServices(String name) {
        List<URL> copies = new ArrayList<>();
        try {
            Enumeration<URL> found = super.getResources(name);
            while (found.hasMoreElements()) {
                URL original = found.nextElement();
                byte[] content;
                try (InputStream in = original.openStream()) {
                    content = in.readAllBytes();
                }
                copies.add(new URL(null, "flink-dbt-service:" + original, new InMemory(content)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(copies);
    }

    /** Serves one service file's bytes. */
    private static final class InMemory extends URLStreamHandler {
        private final byte[] content;

        InMemory(byte[] content) {
            this.content = content;
        }

        @Override
        protected URLConnection openConnection(URL url) {
            return new URLConnection(url) {
                @Override
                public void connect() {}

                @Override
                public InputStream getInputStream() {
                    return new ByteArrayInputStream(content);
                }
            };
        }
    }
}
