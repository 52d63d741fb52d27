package io.github.flinkdbt.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Real single-node Kafka broker (KRaft, combined broker+controller, no ZooKeeper) started in-process.
 *
 * <p>The broker (kafka_2.13 + scala-library 2.13 + its own kafka-clients) is loaded from the jars in
 * {@code target/test-tools-lib} (system property {@code test.tools.lib}) through an isolated
 * classloader whose parent is the platform loader, so it never sees - or clashes with - the test
 * classpath (Flink's scala-library 2.12, jackson, kafka-clients...). Talk to it only over the network
 * via {@link #bootstrapServers()}. Everything is reflective; no Kafka broker type leaks out.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private final URLClassLoader loader;
    private final Object server; // kafka.server.KafkaRaftServer
    private final Path dir;
    private final String bootstrapServers;

    private EmbeddedKafkaBroker(URLClassLoader loader, Object server, Path dir, String bootstrapServers) {
        this.loader = loader;
        this.server = server;
        this.dir = dir;
        this.bootstrapServers = bootstrapServers;
    }

    public static EmbeddedKafkaBroker start() throws Exception {
        return start(Path.of(System.getProperty("test.tools.lib", "target/test-tools-lib")));
    }

    public static EmbeddedKafkaBroker start(Path libDir) throws Exception {
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(libDir)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".jar"))::iterator) {
                jars.add(p.toUri().toURL());
            }
        }
        if (jars.isEmpty()) throw new IllegalStateException("No broker jars in " + libDir.toAbsolutePath());
        URLClassLoader cl =
                new URLClassLoader("kafka-broker", jars.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());

        Path dir = Files.createTempDirectory("kafka-kraft-");
        int[] ports = freePorts(2);
        String bootstrap = "localhost:" + ports[0];
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@localhost:" + ports[1]);
        p.put("listeners", "PLAINTEXT://" + bootstrap + ",CONTROLLER://localhost:" + ports[1]);
        p.put("advertised.listeners", "PLAINTEXT://" + bootstrap);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dir.resolve("logs").toString());
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024)); // default 128 MB on-heap
        Path cfg = dir.resolve("server.properties");
        try (Writer w = Files.newBufferedWriter(cfg)) {
            p.store(w, null);
        }

        Thread th = Thread.currentThread();
        ClassLoader prevTccl = th.getContextClassLoader();
        th.setContextClassLoader(cl); // broker threads inherit this TCCL
        try {
            // 0) a fatal broker fault must not Exit.halt() the surefire JVM: make Exit throw instead
            //    (only affects the broker's private copy of org.apache.kafka.common.utils.Exit)
            Class<?> exit = cl.loadClass("org.apache.kafka.common.utils.Exit");
            Class<?> procedure = cl.loadClass("org.apache.kafka.common.utils.Exit$Procedure");
            Object throwing = Proxy.newProxyInstance(cl, new Class<?>[] {procedure}, (proxy, m, a) -> {
                if (m.getDeclaringClass() == Object.class)
                    return m.getName().equals("equals")
                            ? proxy == a[0]
                            : m.getName().equals("hashCode") ? System.identityHashCode(proxy) : "ExitGuard";
                throw new IllegalStateException("Kafka broker requested exit/halt(" + a[0] + "): " + a[1]);
            });
            exit.getMethod("setExitProcedure", procedure).invoke(null, throwing);
            exit.getMethod("setHaltProcedure", procedure).invoke(null, throwing);
            // 1) kafka-storage format -t <clusterId> -c server.properties
            String clusterId = cl.loadClass("org.apache.kafka.common.Uuid")
                    .getMethod("randomUuid")
                    .invoke(null)
                    .toString();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int rc = (int) cl.loadClass("kafka.tools.StorageTool")
                    .getMethod("execute", String[].class, PrintStream.class)
                    .invoke(
                            null,
                            new String[] {"format", "-t", clusterId, "-c", cfg.toString()},
                            new PrintStream(out, true));
            if (rc != 0) throw new IllegalStateException("kafka storage format failed (" + rc + "): " + out);
            // 2) new KafkaRaftServer(KafkaConfig.fromProps(p), Time.SYSTEM).startup()  -- blocks until broker is
            // unfenced
            Class<?> configClass = cl.loadClass("kafka.server.KafkaConfig");
            Object config = configClass.getMethod("fromProps", Properties.class).invoke(null, p);
            Class<?> timeClass = cl.loadClass("org.apache.kafka.common.utils.Time");
            Object server = cl.loadClass("kafka.server.KafkaRaftServer")
                    .getConstructor(configClass, timeClass)
                    .newInstance(config, timeClass.getField("SYSTEM").get(null));
            server.getClass().getMethod("startup").invoke(server);
            return new EmbeddedKafkaBroker(cl, server, dir, bootstrap);
        } catch (Throwable t) {
            cl.close();
            deleteRecursively(dir);
            Throwable c = t instanceof InvocationTargetException ? t.getCause() : t;
            if (c instanceof Error) throw (Error) c;
            throw c instanceof Exception ? (Exception) c : new RuntimeException(c);
        } finally {
            th.setContextClassLoader(prevTccl);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() throws Exception {
        Thread th = Thread.currentThread();
        ClassLoader prevTccl = th.getContextClassLoader();
        th.setContextClassLoader(loader);
        try {
            server.getClass().getMethod("shutdown").invoke(server);
            server.getClass().getMethod("awaitShutdown").invoke(server);
        } finally {
            th.setContextClassLoader(prevTccl);
            loader.close();
            deleteRecursively(dir);
        }
    }

    private static int[] freePorts(int n) throws IOException {
        ServerSocket[] sockets = new ServerSocket[n];
        int[] ports = new int[n];
        try {
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0);
                sockets[i].setReuseAddress(true);
                ports[i] = sockets[i].getLocalPort();
            }
        } finally {
            for (ServerSocket s : sockets) if (s != null) s.close();
        }
        return ports;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
