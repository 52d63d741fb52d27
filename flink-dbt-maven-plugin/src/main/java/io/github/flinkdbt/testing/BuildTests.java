package io.github.flinkdbt.testing;

import io.github.flinkdbt.cluster.FlinkCluster;
import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.planner.CompiledProject;
import io.github.flinkdbt.planner.RuntimeDefinitions;
import io.github.flinkdbt.project.DataTest;
import io.github.flinkdbt.project.Model;
import io.github.flinkdbt.project.Project;
import io.github.flinkdbt.project.Secrets;
import io.github.flinkdbt.project.SingularTest;
import io.github.flinkdbt.run.ModelChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The tests of a {@code run}, in dbt's build order: a model's unit tests on the run's cluster
 * before it is built, its data tests on the table it just wrote, singular tests at the end.
 */
public final class BuildTests implements ModelChecks {

    private final Project project;
    private final List<UnitTests.Prepared> unitTests;
    private final UnitTests runner;
    private final TestSession session;
    private final FixtureTables fixtures;
    private final DataTests dataTests;
    private final TestOptions options;
    private final Set<String> secrets;

    private BuildTests(
            CompiledProject compiled,
            TestOptions options,
            List<UnitTests.Prepared> unitTests,
            UnitTests runner,
            FlinkCluster cluster) {
        this.project = compiled.project();
        this.options = options;
        this.unitTests = unitTests;
        this.runner = runner;
        this.session = new TestSession(project, options, cluster, RuntimeDefinitions.classLoader(options.classpath()));
        this.fixtures = new FixtureTables(session);
        this.dataTests = new DataTests(
                project,
                compiled.graph().topologicalOrder(),
                session,
                fixtures,
                true,
                options.workDirectory(),
                options.log());
        this.secrets = Secrets.values(project);
    }

    /**
     * The checks of a run of {@code compiled}; its unit tests' fixtures are read now, so that bad
     * ones stop the run before it starts ({@code ProblemsException}).
     *
     * @param options how to test; data tests read the run's own tables
     */
    public static ModelChecks.Factory factory(CompiledProject compiled, TestOptions options) {
        UnitTests runner = new UnitTests(compiled.project(), compiled.result());
        Problems problems = new Problems();
        List<UnitTests.Prepared> prepared = runner.prepare(
                compiled.project().unitTests().stream()
                        .filter(t -> compiled.selection().unitTests().contains(t.name()))
                        .toList(),
                options.rendered(),
                problems);
        problems.throwIfAny();
        TestOptions againstRun = options.againstDeployed();
        return cluster -> new BuildTests(compiled, againstRun, prepared, runner, cluster);
    }

    @Override
    public List<String> before(Model model) {
        List<String> failures = new ArrayList<>();
        for (UnitTests.Prepared test : unitTests) {
            if (test.model().name().equals(model.name())) {
                add(failures, runner.run(test, session, fixtures, options.workDirectory()));
            }
        }
        return failures;
    }

    @Override
    public List<String> after(Model model) {
        List<String> failures = new ArrayList<>();
        for (DataTest test : project.dataTests()) {
            if (!test.onSource() && test.attachedTo().equals(model.name())) {
                add(failures, dataTests.run(test));
            }
        }
        return failures;
    }

    @Override
    public List<String> afterAll() {
        List<String> failures = new ArrayList<>();
        for (SingularTest test : project.singularTests()) {
            add(failures, dataTests.run(test));
        }
        return failures;
    }

    private void add(List<String> failures, TestResult result) {
        TestResult reported = ProjectTester.report(options.log(), secrets, result);
        if (reported.failed()) {
            failures.add(reported.kind() + " test " + reported.name() + " (" + reported.where() + "): "
                    + reported.message().lines().findFirst().orElse(""));
        }
    }
}
