package io.github.flinkdbt;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything a goal needs to know, independent of Maven (the mojo package fills it in).
 *
 * @param basedir the Maven project directory; paths in messages are relative to it
 * @param projectDir the model project: the basedir, or a dbt project directory
 * @param defaultName the project name when there is no dbt_project.yml
 * @param outputDirectory where compiled output goes ({@code target/flink-dbt})
 * @param cacheDirectory where planner results are kept between builds
 * @param catalog the Flink catalog models live in
 * @param database the Flink database of models; null for the project name
 * @param vars variables for {@code var()}, over dbt_project.yml's
 * @param environment what {@code env_var()} sees
 * @param select dbt selection syntax; blank for every model
 * @param flinkConfiguration Flink options applied to every model
 * @param classpath the project's classes and dependencies
 * @param threads planner threads
 */
public record BuildRequest(
        Path basedir,
        Path projectDir,
        String defaultName,
        Path outputDirectory,
        Path cacheDirectory,
        String catalog,
        String database,
        Map<String, Object> vars,
        Map<String, String> environment,
        String targetName,
        String select,
        String exclude,
        Map<String, String> flinkConfiguration,
        List<Path> classpath,
        boolean useCache,
        int threads,
        boolean printDag,
        String pluginVersion,
        BuildLog log) {}
