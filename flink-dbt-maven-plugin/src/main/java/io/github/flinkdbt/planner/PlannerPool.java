package io.github.flinkdbt.planner;

import io.github.flinkdbt.common.FlinkDbtException;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The planner threads of one build, each with its own {@link PlannerSession}, and what they share:
 * the project class loader, the catalogs and the in-memory Iceberg catalog. Started before the
 * project is read, so the sessions (and Flink's planner code) are warm by the time models are
 * planned.
 */
public final class PlannerPool implements AutoCloseable {

    private final String compileSession = UUID.randomUUID().toString();
    private final ProjectClassLoader classLoader;
    private final Map<String, String> configuration;
    private final CompileTableFactory factory;
    private final Map<String, ProjectCatalog> catalogs = new ConcurrentHashMap<>();
    private final ExecutorService executor;
    private final ThreadLocal<PlannerSession> sessions;
    private volatile PlannerSetup setup;

    private PlannerPool(int threads, List<Path> classpath, Map<String, String> flinkConfiguration, String catalog) {
        this.classLoader = classLoader(classpath);
        Map<String, String> options = new TreeMap<>(flinkConfiguration);
        // plans name tables only: no options (or secrets) in them, and they restore in any environment
        options.put("table.plan.compile.catalog-objects", "IDENTIFIER");
        this.configuration = Map.copyOf(options);
        this.factory = new CompileTableFactory(catalog, compileSession);
        catalog(catalog);
        AtomicInteger number = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(Math.max(1, threads), runnable -> {
            Thread thread = new Thread(runnable, "flink-dbt-planner-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.sessions = ThreadLocal.withInitial(() -> new PlannerSession(this));
    }

    /**
     * Starts the threads; each creates its session right away.
     *
     * @param catalog the project catalog's name
     */
    public static PlannerPool start(
            int threads, List<Path> classpath, Map<String, String> flinkConfiguration, String catalog) {
        PlannerPool pool = new PlannerPool(threads, classpath, flinkConfiguration, catalog);
        CountDownLatch oneEach = new CountDownLatch(Math.max(1, threads));
        for (int i = 0; i < Math.max(1, threads); i++) {
            pool.executor.submit(() -> {
                try {
                    pool.sessions.get();
                } finally {
                    oneEach.countDown();
                }
                oneEach.await();
                return null;
            });
        }
        return pool;
    }

    /** The catalog of that name, shared by all sessions. */
    ProjectCatalog catalog(String name) {
        return catalogs.computeIfAbsent(name, n -> new ProjectCatalog(n, factory));
    }

    Map<String, ProjectCatalog> catalogs() {
        return catalogs;
    }

    /** What the sessions need once the project is known (functions, current database, sources). */
    void configure(PlannerSetup newSetup) {
        this.setup = newSetup;
    }

    PlannerSetup setup() {
        return setup;
    }

    /** Runs work on a planner thread; {@link #session()} is that thread's session. */
    <T> Future<T> submit(Callable<T> work) {
        return executor.submit(work);
    }

    /** The calling planner thread's session, prepared for the project. */
    PlannerSession session() {
        PlannerSession session = sessions.get();
        session.prepare(setup);
        return session;
    }

    ExecutorService executor() {
        return executor;
    }

    ClassLoader classLoader() {
        return classLoader;
    }

    Map<String, String> configuration() {
        return configuration;
    }

    CompileTableFactory factory() {
        return factory;
    }

    String compileSession() {
        return compileSession;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        IcebergCompileCatalog.close(compileSession);
        try {
            classLoader.close();
        } catch (IOException e) {
            // nothing left to do with it
        }
    }

    static ProjectClassLoader classLoader(List<Path> classpath) {
        return new ProjectClassLoader(urls(classpath).toArray(new URL[0]), PlannerPool.class.getClassLoader());
    }

    static List<URL> urls(List<Path> classpath) {
        List<URL> urls = new ArrayList<>();
        for (Path entry : classpath) {
            try {
                urls.add(entry.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new FlinkDbtException("Bad classpath entry " + entry + ": " + e.getMessage());
            }
        }
        return urls;
    }

    /** The result of work on a planner thread; its failures rethrown here. */
    static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlinkDbtException("Interrupted while planning models.", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new FlinkDbtException("Planning failed: " + cause, cause);
        }
    }
}
