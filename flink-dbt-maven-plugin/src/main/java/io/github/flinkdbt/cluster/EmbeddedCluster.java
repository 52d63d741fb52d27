package io.github.flinkdbt.cluster;

import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.Option;
import io.github.flinkdbt.common.FlinkDbtException;
import java.net.BindException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;

/**
 * A Flink cluster inside this JVM with its REST API and web UI on localhost. Jobs reach it the way
 * they reach any cluster, through REST, so what runs here runs the same on a remote cluster: every
 * call goes to its REST API; only starting and stopping it are its own.
 */
public final class EmbeddedCluster extends RestFlinkCluster {

    /** The REST addresses of the embedded clusters running in this JVM. */
    private static final Set<URI> RUNNING = ConcurrentHashMap.newKeySet();

    private final MiniCluster cluster;

    private EmbeddedCluster(MiniCluster cluster, URI restAddress) {
        super(restAddress);
        this.cluster = cluster;
    }

    /**
     * Starts a cluster.
     *
     * @param restPort the port of the REST API and web UI; 0 for a free one
     * @param slots task slots (one per job at parallelism 1)
     * @param configuration further Flink options (e.g. memory)
     */
    public static EmbeddedCluster start(int restPort, int slots, Map<String, String> configuration, Hints hints) {
        Configuration config = Configuration.fromMap(configuration);
        config.set(RestOptions.ADDRESS, "localhost");
        config.set(RestOptions.BIND_ADDRESS, "localhost");
        config.set(RestOptions.BIND_PORT, String.valueOf(restPort));
        config.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
        // fresh checkpoint statistics, so that a stop finds the moment between two checkpoints quickly
        config.set(RestOptions.CACHE_CHECKPOINT_STATISTICS_TIMEOUT, Duration.ofMillis(100));
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(config)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build());
        try {
            cluster.start();
            URI address = cluster.getRestAddress().get(30, TimeUnit.SECONDS);
            RUNNING.add(address);
            return new EmbeddedCluster(cluster, address);
        } catch (Exception e) {
            cluster.closeAsync();
            if (causedBy(e, BindException.class)) {
                throw new FlinkDbtException(
                        "Cannot start the embedded Flink cluster: port " + restPort
                                + " is in use.\nStop what listens there (lsof -i :" + restPort
                                + "), or choose another port: "
                                + hints.set(Option.REST_PORT, "<port>") + " (0 picks a free one).",
                        e);
            }
            throw new FlinkDbtException("Cannot start the embedded Flink cluster: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean embedded() {
        return true;
    }

    /** Whether {@code address} is the REST API of an embedded cluster of this JVM (its tasks see this JVM's classes). */
    static boolean runsInThisJvm(URI address) {
        return RUNNING.contains(address);
    }

    @Override
    public void close() {
        RUNNING.remove(restAddress());
        super.close();
        try {
            cluster.closeAsync().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            // shutting down: nothing left to save
        }
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t) || String.valueOf(t.getMessage()).contains("Address already in use")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
