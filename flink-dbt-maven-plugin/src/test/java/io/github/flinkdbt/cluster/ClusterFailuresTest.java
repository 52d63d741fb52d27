package io.github.flinkdbt.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.mojo.MavenHints;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a run says when its port is taken, made to happen for real. */
class ClusterFailuresTest {

    @Test
    void aPortInUseIsOneClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("localhost"))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> EmbeddedCluster.start(port, 1, Map.of(), MavenHints.get())
                            .close())
                    .isInstanceOf(FlinkDbtException.class)
                    .hasMessageContaining("port " + port + " is in use")
                    .hasMessageContaining("-Dflink-dbt.restPort=<port> (0 picks a free one)");
        }
    }

    @Test
    void aFreePortIsChosenWhenAskedFor() {
        try (EmbeddedCluster cluster = EmbeddedCluster.start(0, 1, Map.of(), MavenHints.get())) {
            assertThat(cluster.restAddress().getPort()).isPositive();
        }
    }
}
