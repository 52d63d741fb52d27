package io.github.flinkdbt.testing;

import io.github.flinkdbt.cluster.FlinkCluster;
import io.github.flinkdbt.common.BuildLog;
import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.planner.CompiledProject;
import io.github.flinkdbt.planner.RuntimeDefinitions;
import io.github.flinkdbt.project.DataTest;
import io.github.flinkdbt.project.Project;
import io.github.flinkdbt.project.Secrets;
import io.github.flinkdbt.project.SingularTest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code snapshot-test}: the unit tests of the selected models, then their data tests, all on one
 * cluster (an embedded one started for the whole run unless one is given). Bad fixtures are
 * reported, with their schema file and line, before anything runs.
 */
public final class ProjectTester {

    private final CompiledProject compiled;
    private final TestOptions options;
    private final Project project;
    private final BuildLog log;
    private final Set<String> secrets;

    private ProjectTester(CompiledProject compiled, TestOptions options) {
        this.compiled = compiled;
        this.options = options;
        this.project = compiled.project();
        this.log = options.log();
        this.secrets = Secrets.values(project);
    }

    /** Runs the tests; throws {@code ProblemsException} for bad fixtures, before running any. */
    public static TestOutcome test(CompiledProject compiled, TestOptions options) {
        return new ProjectTester(compiled, options).test();
    }

    private TestOutcome test() {
        long start = System.currentTimeMillis();
        Set<String> selected = new HashSet<>(compiled.selection().models());
        UnitTests unitTests = new UnitTests(project, compiled.result());
        Problems problems = new Problems();
        List<UnitTests.Prepared> prepared = unitTests.prepare(
                project.unitTests().stream()
                        .filter(t -> compiled.selection().unitTests().contains(t.name()))
                        .toList(),
                options.rendered(),
                problems);
        problems.throwIfAny();
        List<DataTest> dataTests = project.dataTests().stream()
                .filter(t -> isSelected(t, selected))
                .toList();
        List<SingularTest> singularTests = project.singularTests().stream()
                .filter(t -> t.refs().isEmpty() || t.refs().stream().anyMatch(selected::contains))
                .toList();
        List<TestResult> results = new ArrayList<>();
        if (prepared.isEmpty() && dataTests.isEmpty() && singularTests.isEmpty()) {
            log.info("flink-dbt: " + project.name() + ": no tests for the selected models.");
            return new TestOutcome(project.name(), against(), results, 0);
        }
        try (FlinkCluster cluster =
                FlinkCluster.open(options.cluster(), options.settings().access(), 0, 2, options.hints())) {
            log.info("flink-dbt: " + project.name() + ": " + prepared.size() + " unit tests, "
                    + (dataTests.size() + singularTests.size()) + " data tests against " + against() + " on "
                    + (cluster.embedded() ? "an embedded Flink cluster, web UI at " : "the Flink cluster at ")
                    + cluster.restAddress());
            ClassLoader classLoader = RuntimeDefinitions.classLoader(options.classpath());
            TestSession session = new TestSession(project, options, cluster, classLoader);
            FixtureTables fixtures = new FixtureTables(session);
            for (UnitTests.Prepared test : prepared) {
                record(results, unitTests.run(test, session, fixtures, options.workDirectory()));
            }
            DataTests data = new DataTests(
                    project,
                    compiled.graph().topologicalOrder(),
                    session,
                    fixtures,
                    options.deployed(),
                    options.workDirectory(),
                    log);
            if (options.deployed() && options.asOf() != null) {
                long millis = PointInTime.resolve(
                        options.asOf(),
                        PointInTime.catalog(session.batch(), project),
                        PointInTime.tables(project),
                        options.hints());
                log.info("flink-dbt: reading the tables as of " + PointInTime.describe(millis));
                PointInTime.shadow(session, session.batch(), project, millis);
            }
            for (DataTest test : dataTests) {
                record(results, data.run(test));
            }
            for (SingularTest test : singularTests) {
                record(results, data.run(test));
            }
        }
        return new TestOutcome(project.name(), against(), List.copyOf(results), System.currentTimeMillis() - start);
    }

    private String against() {
        if (!options.deployed()) {
            return "fixtures";
        }
        return "deployed tables" + (options.asOf() == null ? "" : " as of " + options.asOf());
    }

    private static boolean isSelected(DataTest test, Set<String> selected) {
        return test.onSource() || selected.contains(test.attachedTo());
    }

    private void record(List<TestResult> results, TestResult result) {
        results.add(report(log, secrets, result));
    }

    /** Logs a result as one line (and its failure below it), its message scrubbed of secrets. */
    static TestResult report(BuildLog log, Set<String> secrets, TestResult result) {
        TestResult scrubbed = new TestResult(
                result.name(),
                result.kind(),
                result.model(),
                result.status(),
                Secrets.scrub(result.message(), secrets),
                result.failures(),
                result.millis(),
                result.where());
        String line = String.format(
                Locale.ROOT,
                "  %-8s %-5s %-44s %.1f s",
                scrubbed.status().toUpperCase(Locale.ROOT),
                scrubbed.kind().equals("unit") ? "unit" : "data",
                scrubbed.name(),
                scrubbed.millis() / 1000.0);
        if (scrubbed.failed()) {
            log.error(line + "  " + scrubbed.where() + "\n    " + scrubbed.message());
        } else if (scrubbed.status().equals(TestResult.WARN)) {
            log.warn(line + "  " + scrubbed.where() + "\n    " + scrubbed.message());
        } else {
            log.info(line);
        }
        return scrubbed;
    }
}
