package io.github.flinkdbt.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkdbt.home.SavepointHistory;
import io.github.flinkdbt.mojo.MavenHints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SavepointHistoryTest {

    @TempDir
    Path dir;

    @Test
    void theLatestIsRecordedAndOnlyTheNewestAreKept() throws Exception {
        Path state = dir;
        org.apache.flink.core.fs.Path home = new org.apache.flink.core.fs.Path(state.toUri());
        assertThat(SavepointHistory.latest(home, MavenHints.get())).isNull();
        Path savepoints = Files.createDirectories(state.resolve("savepoints"));
        for (int i = 1; i <= 5; i++) {
            Path savepoint = Files.createDirectories(savepoints.resolve("savepoint-" + i));
            Files.writeString(savepoint.resolve("_metadata"), "x");
            Files.setLastModifiedTime(savepoint, FileTime.fromMillis(1_000_000L * i));
        }
        SavepointHistory.record(home, savepoints.resolve("savepoint-5").toUri().toString());

        assertThat(Path.of(SavepointHistory.latest(home, MavenHints.get()).toUri()))
                .isEqualTo(savepoints.resolve("savepoint-5"));
        try (Stream<Path> left = Files.list(savepoints)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("savepoint-3", "savepoint-4", "savepoint-5");
        }
        // a recorded savepoint deleted by hand: an error, never a silent start without state
        Files.delete(savepoints.resolve("savepoint-5/_metadata"));
        Assertions.assertThatThrownBy(() -> SavepointHistory.latest(home, MavenHints.get()))
                .hasMessageContaining("is gone, so its state cannot be restored")
                .hasMessageContaining("-Dflink-dbt.fullRefresh");
    }
}
