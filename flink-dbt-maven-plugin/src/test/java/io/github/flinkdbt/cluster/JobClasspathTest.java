package io.github.flinkdbt.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a job carries to a cluster: what the cluster lacks, never Flink, the project's classes as one cached jar. */
class JobClasspathTest {

    @TempDir
    Path dir;

    @Test
    void shipsWhatTheClusterLacksAndNeverFlinkItself() throws IOException {
        Path repo = dir.resolve("m2");
        Path iceberg =
                jar(repo, "org/apache/iceberg/iceberg-flink-runtime-2.1/1.11.0/iceberg-flink-runtime-2.1-1.11.0.jar");
        Path files = jar(repo, "org/apache/flink/flink-connector-files/2.1.3/flink-connector-files-2.1.3.jar");
        Path planner = jar(repo, "org/apache/flink/flink-table-planner_2.12/2.1.3/flink-table-planner_2.12-2.1.3.jar");
        Path jinjava = jar(repo, "com/hubspot/jinjava/jinjava/2.8.4/jinjava-2.8.4.jar");
        Path kafka = jar(repo, "org/apache/flink/flink-connector-kafka/5.0.0-2.1/flink-connector-kafka-5.0.0-2.1.jar");
        Path tableCommon = jar(repo, "org/apache/flink/flink-table-common/2.1.3/flink-table-common-2.1.3.jar");
        Path classes = Files.createDirectories(dir.resolve("classes/com/example"));
        Files.writeString(classes.resolve("Udf.class"), "bytes");

        List<Path> plugin = List.of(iceberg, files, planner, jinjava);
        List<Path> project = List.of(dir.resolve("classes"), kafka, tableCommon);
        JobClasspath toBareFlink = JobClasspath.shipped(project, plugin, dir.resolve("jars"), Set.of());
        assertThat(toBareFlink.jars().stream().map(p -> p.getFileName().toString()))
                .containsExactly(
                        toBareFlink.jars().get(0).getFileName().toString(),
                        "flink-connector-kafka-5.0.0-2.1.jar",
                        "iceberg-flink-runtime-2.1-1.11.0.jar",
                        "flink-connector-files-2.1.3.jar");
        assertThat(toBareFlink.jars().get(0).getFileName().toString()).matches("project-classes-[0-9a-f]{16}\\.jar");
        try (JarFile jar = new JarFile(toBareFlink.jars().get(0).toFile())) {
            assertThat(jar.getEntry("com/example/Udf.class")).isNotNull();
        }
        assertThat(toBareFlink.options().get("pipeline.jars"))
                .startsWith("file:")
                .contains(";");
        assertThat(toBareFlink.classpaths()).isEmpty();

        // a cluster with the table layer and the distribution's connectors gets the project's jars only
        JobClasspath toTableCluster = JobClasspath.shipped(
                project,
                plugin,
                dir.resolve("jars"),
                Set.of(
                        ClusterClasspath.artifactIdOf("iceberg-flink-runtime-2.1-1.10.1.jar"),
                        ClusterClasspath.artifactIdOf("flink-connector-files-2.1.3.jar")));
        assertThat(toTableCluster.jars().stream().map(p -> p.getFileName().toString()))
                .containsExactly(
                        toBareFlink.jars().get(0).getFileName().toString(), "flink-connector-kafka-5.0.0-2.1.jar");
    }

    @Test
    void theProjectsClassesJarIsBuiltOncePerContent() throws IOException {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Files.writeString(classes.resolve("A.class"), "one");
        Path first = JobClasspath.packaged(List.of(classes), dir.resolve("jars"));
        long built = Files.getLastModifiedTime(first).toMillis();
        assertThat(JobClasspath.packaged(List.of(classes), dir.resolve("jars"))).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(first).toMillis()).isEqualTo(built);
        Files.writeString(classes.resolve("A.class"), "two");
        Path second = JobClasspath.packaged(List.of(classes), dir.resolve("jars"));
        assertThat(second).isNotEqualTo(first);
        // the same classes give the same bytes, wherever and whenever they are packaged
        Path elsewhere = JobClasspath.packaged(List.of(classes), dir.resolve("other"));
        assertThat(Files.readAllBytes(elsewhere)).isEqualTo(Files.readAllBytes(second));
        assertThat(JobClasspath.packaged(List.of(Files.createDirectories(dir.resolve("empty"))), dir.resolve("jars")))
                .isNull();
    }

    @Test
    void artifactIdsComeFromTheRepositoryLayoutOrTheFileName() {
        assertThat(ClusterClasspath.artifactIdOf("iceberg-flink-runtime-2.1-1.11.0.jar"))
                .isEqualTo("iceberg-flink-runtime-2.1");
        assertThat(ClusterClasspath.artifactIdOf("flink-connector-kafka-5.0.0-2.1.jar"))
                .isEqualTo("flink-connector-kafka");
        assertThat(ClusterClasspath.artifactIdOf("flink-table-planner_2.12-2.1.3.jar"))
                .isEqualTo("flink-table-planner_2.12");
        assertThat(ClusterClasspath.artifactIdOf("hadoop-client-api-3.4.1.jar")).isEqualTo("hadoop-client-api");
        assertThat(ClusterClasspath.artifactIdOf("flink-dist.jar")).isEqualTo("flink-dist");
        assertThat(ClusterClasspath.artifactIdOf("flink-shaded-guava-33.4.0-jre-20.0.jar"))
                .isEqualTo("flink-shaded-guava");
        assertThat(ClusterClasspath.artifactIdOf("commons-logging-1.2.jar")).isEqualTo("commons-logging");
        assertThat(ClusterClasspath.artifactId(Path.of(
                        "/m2/org/apache/flink/flink-connector-kafka/5.0.0-2.1/flink-connector-kafka-5.0.0-2.1.jar")))
                .isEqualTo("flink-connector-kafka");
    }

    private static Path jar(Path repo, String path) throws IOException {
        Path jar = repo.resolve(path);
        Files.createDirectories(jar.getParent());
        return Files.writeString(jar, "jar");
    }
}
