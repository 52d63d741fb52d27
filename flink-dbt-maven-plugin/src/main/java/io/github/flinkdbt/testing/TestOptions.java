package io.github.flinkdbt.testing;

import io.github.flinkdbt.BuildLog;
import io.github.flinkdbt.project.Project;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How to test.
 *
 * @param deployed data tests read the tables of {@code home} (as {@code run} or a deploy left them)
 *     instead of models computed from fixtures
 * @param asOf with {@code deployed}: an Iceberg snapshot id or a timestamp to read the tables at;
 *     null for their current snapshot
 * @param home the flink-dbt home of the deployed tables
 * @param workDirectory where fixture files are written for the cluster to read
 * @param cluster a running cluster's REST address; null to start an embedded one for the whole run
 * @param withVars the project rendered again with other vars (unit tests' {@code overrides: vars})
 */
public record TestOptions(
        boolean deployed,
        String asOf,
        Path home,
        Path workDirectory,
        Map<String, String> flinkConfiguration,
        List<Path> classpath,
        URI cluster,
        Function<Map<String, Object>, Project> withVars,
        BuildLog log) {}
