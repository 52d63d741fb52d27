package io.github.flinkdbt.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.home.FlinkDbtHome;
import io.github.flinkdbt.mojo.MavenHints;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a run says when its home cannot be written or its port is taken, made to happen for real. */
class ClusterFailuresTest {

    @TempDir
    Path dir;

    @Test
    void anUnwritableHomeIsOneClearError() {
        // /proc cannot be written, not even by root (who ignores file permissions)
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "Linux /proc");
        Path home = Path.of("/proc/flink-dbt-home");
        assertThatThrownBy(() -> FlinkDbtHome.open(home, MavenHints.get()))
                .isInstanceOf(FlinkDbtException.class)
                .hasMessageContaining("flink-dbt home " + home + " is not writable")
                .hasMessageContaining("-Dflink-dbt.home=<dir>");
    }

    @Test
    void aHomeThatIsAFileIsOneClearError() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        assertThatThrownBy(() -> FlinkDbtHome.open(file, MavenHints.get()))
                .isInstanceOf(FlinkDbtException.class)
                .hasMessageContaining("is not writable")
                .hasMessageContaining("-Dflink-dbt.home=<dir>");
    }

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
