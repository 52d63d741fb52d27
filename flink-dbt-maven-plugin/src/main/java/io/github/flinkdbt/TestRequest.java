package io.github.flinkdbt;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code snapshot-test} needs beyond a build.
 *
 * @param build the project, selection and compile settings (compiled first, as by compile-models)
 * @param deployed data tests read the deployed tables of {@code home} instead of fixtures
 * @param asOf with {@code deployed}: an Iceberg snapshot id or a time to read the tables at; null for now
 * @param home the flink-dbt home whose tables {@code deployed} reads
 * @param reportsDirectory where the JUnit XML reports go ({@code target/flink-dbt-reports})
 * @param jvmArgs options of the JVM the tests fork (when the build forks)
 * @param cluster the REST address of a running Flink cluster to test on; null to start an embedded one
 */
public record TestRequest(
        BuildRequest build,
        boolean deployed,
        String asOf,
        Path home,
        Path reportsDirectory,
        List<String> jvmArgs,
        java.net.URI cluster) {}
