package io.github.flinkdbt.build;

import io.github.flinkdbt.api.DeployMode;
import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Option;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.deploy.DeployOutcome;
import io.github.flinkdbt.deploy.Deployer;
import io.github.flinkdbt.planner.CompiledProject;
import io.github.flinkdbt.planner.ProjectPlanner;
import io.github.flinkdbt.report.BundledProject;
import io.github.flinkdbt.report.CompileOutput;
import io.github.flinkdbt.report.OutputDirectory;
import io.github.flinkdbt.state.Baseline;
import io.github.flinkdbt.state.ModelVerdict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code deploy -Dflink-dbt.bundle=groupId:artifactId:version}: a released bundle deployed as it was
 * built and tested. Its compiled project is taken as it is (never planned again, the working
 * tree's models are not read); only its streaming plans' operator UIDs are continued from what is
 * deployed, as a compile would, and its state is checked before anything changes. Its classes and
 * dependencies are the jobs' classpath. The ledger records its coordinates and each plan's
 * checksum as built and as deployed.
 */
final class BundleDeploy {

    private BundleDeploy() {}

    static DeployOutcome deploy(Settings settings, Invocation invocation, DeployMode mode) {
        Settings.Bundle bundle = settings.deploy().bundle();
        Hints hints = invocation.hints();
        if (mode == DeployMode.ROLLBACK) {
            throw new FlinkDbtException(hints.name(Option.BUNDLE) + " and rollback: a rollback deploys no bundle; it"
                    + " takes the models back to the plans they ran before the last deployment, from the ledger."
                    + " Run it without " + hints.name(Option.BUNDLE) + ".");
        }
        Path directory = settings.compile().outputDirectory().resolveSibling("flink-dbt-bundle");
        CompiledProject released = BundledProject.read(
                bundle.jar(),
                bundle.coordinates(),
                directory,
                ProjectPlanner.flinkVersion(),
                invocation.environment(),
                settings.compile().target(),
                hints);
        List<Path> classpath = new ArrayList<>();
        classpath.add(bundle.jar());
        classpath.addAll(bundle.dependencies());
        Settings bundled = settings.toBuilder()
                .outputDirectory(directory.resolve("flink-dbt"))
                .classpath(classpath)
                .build();
        String project = released.project().name();
        Baseline baseline = Baselines.plans(bundled, project, hints);
        CompiledProject compiled = Build.withResult(released, Build.continued(baseline, released.result()));
        Settings.Compile compile = bundled.compile();
        OutputDirectory.replace(
                compile.outputDirectory(),
                CompileOutput.files(
                        compiled.project(),
                        compiled.selection(),
                        compiled.result(),
                        OutputDirectory.read(compile.outputDirectory()),
                        compile.pluginVersion(),
                        ProjectPlanner.flinkVersion(),
                        baseline));
        invocation
                .log()
                .info("flink-dbt: deploying the bundle " + bundle.coordinates() + " (project " + project + ", "
                        + compiled.project().models().size() + " models, "
                        + bundle.dependencies().size()
                        + " dependencies); its compiled output, continued from what is deployed, in "
                        + compile.display(compile.outputDirectory()));
        List<ModelVerdict> verdicts = StateCheck.run(bundled, invocation, Baselines.withState(bundled, project, hints));
        Map<String, String> built = new TreeMap<>();
        released.result().models().values().stream()
                .filter(model -> model.plan() != null)
                .forEach(model -> built.put(model.name(), model.plan().json()));
        return Deployer.deploy(
                compiled, bundled, invocation, verdicts, mode, new Deployer.Release(bundle.coordinates(), built));
    }
}
