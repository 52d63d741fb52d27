package io.github.flinkdbt.cluster.standalone;

import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.cluster.ClusterClasspath;
import io.github.flinkdbt.common.AtomicFiles;
import io.github.flinkdbt.common.BuildLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The standalone cluster the suite's cluster tests share: a JobManager and two TaskManagers (so
 * jobs run distributed), processes of their own with only Flink on their classpath. Started by the
 * first test that asks, stopped when the test JVM's JUnit run ends.
 */
public final class SharedCluster implements ExtensionContext.Store.CloseableResource, AutoCloseable {

    public static final int TASK_MANAGERS = 2;
    /** Enough for the sample project's three streaming jobs at parallelism 2 side by side. */
    public static final int SLOTS = 4;

    /** How long the cluster keeps the result of an asynchronous operation (a savepoint's trigger). */
    public static final int TRIGGER_RESULTS_SECONDS = 5;

    private static final String PREFIX = "shared-cluster-";

    private final StandaloneCluster.Spec spec;
    private final ClusterStatus status;

    private SharedCluster(StandaloneCluster.Spec spec) {
        this.spec = spec;
        this.status = StandaloneCluster.start(spec, BuildLog.silent(), Hints.plain());
    }

    /** Gives a test (or its {@code @BeforeAll}) the suite's cluster as a parameter: {@code @ExtendWith(SharedCluster.Resolver.class)}. */
    public static final class Resolver implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == SharedCluster.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return get(context);
        }
    }

    /** The suite's cluster, started on first use. */
    public static SharedCluster get(ExtensionContext context) {
        return context.getRoot()
                .getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(SharedCluster.class, key -> start(), SharedCluster.class);
    }

    private static SharedCluster start() {
        // one per test JVM (surefire runs two side by side); one left by a test JVM that was killed is stopped
        Path target = Path.of("target").toAbsolutePath();
        try (Stream<Path> left = Files.list(target)) {
            left.filter(d -> d.getFileName().toString().matches(PREFIX + "\\d+"))
                    .filter(d -> ProcessHandle.of(
                                    Long.parseLong(d.getFileName().toString().substring(PREFIX.length())))
                            .isEmpty())
                    .forEach(d -> {
                        StandaloneCluster.stop(d, Duration.ofSeconds(10));
                        try {
                            AtomicFiles.deleteTree(d);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path directory = target.resolve(PREFIX + ProcessHandle.current().pid());
        return new SharedCluster(new StandaloneCluster.Spec(
                directory,
                freePort(),
                TASK_MANAGERS,
                SLOTS,
                Map.of(
                        "cluster.evenly-spread-out-slots", "true",
                        // a TaskManager that is killed is noticed in seconds, not in the default 50
                        "heartbeat.interval", "2000",
                        "heartbeat.timeout", "8000",
                        // a deployer that asks for a stop's result later than this finds it forgotten
                        "rest.async.store-duration", TRIGGER_RESULTS_SECONDS + " s"),
                ClusterClasspath.forCluster(TestProjects.testClasspath()),
                Duration.ofSeconds(30)));
    }

    public URI restUrl() {
        return status.restUrl();
    }

    public Path directory() {
        return spec.directory();
    }

    /** Starts again any TaskManager a test killed. */
    public void heal() {
        StandaloneCluster.start(spec, BuildLog.silent(), Hints.plain());
    }

    public ClusterStatus status() {
        return StandaloneCluster.status(spec.directory());
    }

    @Override
    public void close() {
        StandaloneCluster.stop(spec.directory(), spec.stopTimeout());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("localhost"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
