package io.github.flinkdbt.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Local files are read straight from the disk, files elsewhere through Flink's file systems: both
 * ways give the same answers.
 */
class FlinkFilesTest {

    @TempDir
    java.nio.file.Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"file", ElsewhereFileSystemFactory.SCHEME})
    void bothWaysGiveTheSameAnswers(String scheme) throws Exception {
        Path root = new Path(URI.create(scheme + "://" + dir.toUri().getPath() + "home"));
        Path file = new Path(root, "state/m/last-savepoint");

        assertThat(FlinkFiles.exists(file)).isFalse();
        assertThat(FlinkFiles.list(new Path(root, "state"))).isEmpty();
        assertThat(FlinkFiles.modified(file)).isZero();

        FlinkFiles.write(file, "savepoint-1\n", true);
        FlinkFiles.mkdirs(new Path(root, "state/m/checkpoints"));
        assertThat(FlinkFiles.read(file)).isEqualTo("savepoint-1\n");
        assertThat(Files.readString(dir.resolve("home/state/m/last-savepoint"))).isEqualTo("savepoint-1\n");
        assertThat(FlinkFiles.exists(file)).isTrue();
        assertThat(FlinkFiles.isDirectory(file)).isFalse();
        assertThat(FlinkFiles.isDirectory(file.getParent())).isTrue();
        assertThat(FlinkFiles.isDirectory(root)).isTrue();
        assertThat(FlinkFiles.modified(file))
                .isEqualTo(Files.getLastModifiedTime(dir.resolve("home/state/m/last-savepoint"))
                        .toMillis());

        List<FileStatus> entries = FlinkFiles.list(new Path(root, "state/m"));
        assertThat(entries)
                .extracting(status -> status.getPath().getName())
                .containsExactly("checkpoints", "last-savepoint");
        assertThat(entries).extracting(FileStatus::isDir).containsExactly(true, false);
        assertThat(entries.get(1).getLen()).isEqualTo("savepoint-1\n".length());

        Path moved = new Path(root, "state/m/moved");
        FlinkFiles.move(file, moved);
        assertThat(FlinkFiles.exists(file)).isFalse();
        assertThat(FlinkFiles.read(moved)).isEqualTo("savepoint-1\n");
        FlinkFiles.delete(moved);
        assertThat(FlinkFiles.exists(moved)).isFalse();
        FlinkFiles.deleteTree(new Path(root, "state"));
        assertThat(Files.exists(dir.resolve("home/state"))).isFalse();
        assertThat(FlinkFiles.list(new Path(root, "state"))).isEmpty();
    }
}
