package io.github.flinkdbt.home;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.mojo.MavenHints;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A home is a URI: opened through Flink's file systems, with one clear error when it cannot be. */
class FlinkDbtHomeTest {

    @TempDir
    Path dir;

    @Test
    void aFileUriHomeIsLaidOutAndRecognised() throws Exception {
        URI uri = URI.create("file://" + dir.resolve("home"));
        FlinkDbtHome home = FlinkDbtHome.open(uri, MavenHints.get());

        assertThat(dir.resolve("home"))
                .isDirectoryContaining(p -> p.getFileName().toString().equals("warehouse"));
        assertThat(Files.isDirectory(dir.resolve("home/catalog-store"))).isTrue();
        assertThat(Files.isDirectory(dir.resolve("home/state"))).isTrue();
        try (var left = Files.list(dir.resolve("home"))) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith(".write-check"));
        }
        assertThat(home.display()).isEqualTo(dir.resolve("home").toString());
        assertThat(DeployedPlans.isHome(dir.resolve("home").toUri())).isTrue();
        assertThat(DeployedPlans.isHome(dir.toUri())).isFalse();
        assertThat(Path.of(home.savepoints("shop", "clicks").toUri()))
                .isEqualTo(dir.resolve("home/state/shop/clicks/savepoints"));
    }

    @Test
    void aSchemeFlinkHasNoFileSystemForIsOneClearError() {
        assertThatThrownBy(() -> FlinkDbtHome.open(URI.create("nofs://bucket/flink-dbt"), MavenHints.get()))
                .isInstanceOf(FlinkDbtException.class)
                .hasMessageContaining("flink-dbt home nofs://bucket/flink-dbt")
                .hasMessageContaining("Flink has no file system for 'nofs:'")
                .hasMessageContaining("-Dflink-dbt.home=<dir|uri>");
    }

    @Test
    void anUnwritableHomeIsOneClearError() {
        // /proc cannot be written, not even by root (who ignores file permissions)
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "Linux /proc");
        Path home = Path.of("/proc/flink-dbt-home");
        assertThatThrownBy(() -> FlinkDbtHome.open(home.toUri(), MavenHints.get()))
                .isInstanceOf(FlinkDbtException.class)
                .hasMessageContaining("flink-dbt home " + home + " is not writable")
                .hasMessageContaining("-Dflink-dbt.home=<dir>");
    }

    @Test
    void aHomeThatIsAFileIsOneClearError() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        assertThatThrownBy(() -> FlinkDbtHome.open(file.toUri(), MavenHints.get()))
                .isInstanceOf(FlinkDbtException.class)
                .hasMessageContaining("is not writable")
                .hasMessageContaining("-Dflink-dbt.home=<dir>");
    }
}
