package io.github.flinkdbt.build;

import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.common.BuildLog;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.deploy.DeployHistory;
import io.github.flinkdbt.deploy.ModelDeployment;
import io.github.flinkdbt.planner.CompiledProject;
import io.github.flinkdbt.planner.ProjectPlanner;
import io.github.flinkdbt.report.Catalog;
import io.github.flinkdbt.report.docs.DocsInput;
import io.github.flinkdbt.report.docs.DocsSite;
import io.github.flinkdbt.report.docs.LastTestResults;
import io.github.flinkdbt.state.Baseline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code docs} on a compiled project: gathers what the other goals left (verdicts, ledger, test reports) and writes the site. */
final class DocsBuild {

    /** Problems printed in the build log; the site lists them all. */
    private static final int LOGGED_PROBLEMS = 20;

    private DocsBuild() {}

    static DocsSite.Written write(
            Settings settings, Invocation invocation, CompiledProject compiled, Baseline baseline, Path directory) {
        long start = System.nanoTime();
        BuildLog log = invocation.log();
        String project = compiled.project().name();
        StateCheck.Checked checked = StateCheck.verdicts(settings, invocation.hints(), baseline, compiled);
        Map<String, List<ModelDeployment>> deployments;
        try {
            deployments = DeployHistory.byModel(settings, project);
        } catch (RuntimeException e) {
            log.warn("flink-dbt: the docs show no deploy history: the ledger cannot be read (" + e.getMessage() + ")");
            deployments = Map.of();
        }
        Settings.Compile compile = settings.compile();
        DocsInput input = new DocsInput(
                compiled,
                baseline.isNone() ? null : baseline.description(),
                checked.verdicts(),
                deployments,
                LastTestResults.read(settings.test().reportsDirectory(), project),
                compile.pluginVersion(),
                ProjectPlanner.flinkVersion());
        Map<String, byte[]> artifacts = new TreeMap<>();
        for (String artifact : List.of("manifest.json")) {
            Path file = compile.outputDirectory().resolve(artifact);
            try {
                artifacts.put(artifact, Files.readAllBytes(file));
            } catch (IOException e) {
                throw new FlinkDbtException("Cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        artifacts.put(
                Catalog.FILE,
                Catalog.write(compiled.project(), compiled.result().models(), compile.pluginVersion())
                        .getBytes(StandardCharsets.UTF_8));
        DocsSite.Written written = DocsSite.write(input, directory, artifacts);
        List<String> problems = written.problems();
        if (!problems.isEmpty()) {
            log.warn("flink-dbt: " + problems.size() + " documentation problem(s); the site lists them all:");
            problems.stream().limit(LOGGED_PROBLEMS).forEach(p -> log.warn("  " + p));
            if (problems.size() > LOGGED_PROBLEMS) {
                log.warn("  ... and " + (problems.size() - LOGGED_PROBLEMS) + " more");
            }
        }
        log.info("flink-dbt: docs of " + written.nodes() + " nodes "
                + (written.changed() ? "written to " : "up to date in ")
                + compile.display(directory) + " (" + Build.seconds((System.nanoTime() - start) / 1_000_000)
                + "); open " + directory.resolve(DocsSite.INDEX).toUri());
        return written;
    }
}
