package io.github.flinkdbt.mojo;

import io.github.flinkdbt.BuildLog;
import io.github.flinkdbt.BuildRequest;
import io.github.flinkdbt.FlinkDbtException;
import io.github.flinkdbt.project.Problem;
import io.github.flinkdbt.project.Problems;
import io.github.flinkdbt.project.ProblemsException;
import io.github.flinkdbt.project.YamlNode;
import io.github.flinkdbt.project.YamlReader;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Parameters shared by every goal, each settable as a {@code flink-dbt.*} property, and the one
 * way goals turn core failures into Maven messages. Like Flyway's {@code flyway.placeholders.*},
 * {@code -Dflink-dbt.vars.<name>=} and {@code -Dflink-dbt.conf.<flink option>=} add single entries.
 */
public abstract class AbstractFlinkDbtMojo extends AbstractMojo {

    private static final String VAR_PREFIX = "flink-dbt.vars.";
    private static final String CONF_PREFIX = "flink-dbt.conf.";

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    protected MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    protected MavenSession session;

    @Parameter(defaultValue = "${plugin.version}", readonly = true, required = true)
    protected String pluginVersion;

    /** The model project: this project, or a dbt project directory (with dbt_project.yml). */
    @Parameter(property = "flink-dbt.projectDir", defaultValue = "${project.basedir}")
    protected File projectDir;

    /** Where compiled SQL, plans and manifest.json are written. */
    @Parameter(property = "flink-dbt.outputDirectory", defaultValue = "${project.build.directory}/flink-dbt")
    protected File outputDirectory;

    /** Where planner results are kept so unchanged models are not planned again. */
    @Parameter(property = "flink-dbt.cacheDirectory", defaultValue = "${project.build.directory}/flink-dbt-cache")
    protected File cacheDirectory;

    /** Reuse plans of unchanged models (false: plan everything). */
    @Parameter(property = "flink-dbt.useCache", defaultValue = "true")
    protected boolean useCache;

    /** The Flink catalog models are created in. */
    @Parameter(property = "flink-dbt.catalog", defaultValue = "flink_dbt")
    protected String catalog;

    /** The Flink database of models (dbt's target schema); defaults to the project name. */
    @Parameter(property = "flink-dbt.database")
    protected String database;

    /** The target name models see as {@code target.name}. */
    @Parameter(property = "flink-dbt.target", defaultValue = "dev")
    protected String target;

    /** Variables for {@code var()}. */
    @Parameter
    protected Map<String, String> vars = new TreeMap<>();

    /** Variables as a YAML/JSON mapping, like dbt's --vars: {@code -Dflink-dbt.vars='{start: 2026-01-01}'}. */
    @Parameter(property = "flink-dbt.vars")
    protected String varsYaml;

    /** Flink options for planning and running every model, e.g. {@code table.exec.state.ttl}. */
    @Parameter
    protected Map<String, String> flinkConfiguration = new TreeMap<>();

    /** Models to work on, in dbt's selection syntax: {@code orders+ tag:nightly}. */
    @Parameter(property = "flink-dbt.select")
    protected String select;

    /** Models to leave out, same syntax. */
    @Parameter(property = "flink-dbt.exclude")
    protected String exclude;

    /**
     * Plan in a separate JVM (only started when a model needs the planner). Keeps Flink out of
     * Maven's JVM and runs the planner with JIT settings that suit it.
     */
    @Parameter(property = "flink-dbt.fork", defaultValue = "true")
    protected boolean fork;

    /** Options of the planner JVM, space separated; by default tuned to the number of cores. */
    @Parameter(property = "flink-dbt.jvmArgs")
    protected String jvmArgs;

    /** Planner threads; 0 means one per CPU core. */
    @Parameter(property = "flink-dbt.threads", defaultValue = "0")
    protected int threads;

    /** Tables, catalog, savepoints and plans of every run; outside target/ so that mvn clean keeps them. */
    @Parameter(property = "flink-dbt.home", defaultValue = "${project.basedir}/.flink-dbt")
    protected File home;

    /**
     * What streaming models' state is checked against and their operator UIDs continue from: a
     * directory of an earlier {@code target/flink-dbt}, a released bundle's
     * {@code groupId:artifactId:version}, or {@code deployed} (what {@code flink-dbt.home} last ran).
     */
    @Parameter(property = "flink-dbt.baseline")
    protected String baseline;

    @org.apache.maven.plugins.annotations.Component
    private org.eclipse.aether.RepositorySystem repositorySystem;

    /** Skips the goal. */
    @Parameter(property = "flink-dbt.skip", defaultValue = "false")
    protected boolean skip;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("flink-dbt: skipped (flink-dbt.skip)");
            return;
        }
        FlinkLogging.quiet(getLog().isDebugEnabled());
        try {
            run(request());
        } catch (ProblemsException e) {
            getLog().error("flink-dbt: " + ProblemsException.summary(e.problems()));
            for (Problem problem : e.problems()) {
                problem.format().lines().forEach(getLog()::error);
            }
            getLog().error(afterProblems());
            throw new MojoFailureException("flink-dbt: " + ProblemsException.summary(e.problems()) + " (listed above)");
        } catch (FlinkDbtException e) {
            e.getMessage().lines().forEach(getLog()::error);
            getLog().debug(e);
            // without the cause: Maven would append its whole message again to "Failed to execute goal"
            List<String> lines = e.getMessage().lines().toList();
            throw new MojoFailureException("flink-dbt: " + (lines.isEmpty() ? e.getClass().getSimpleName()
                    : lines.get(0) + (lines.size() > 1 ? " (details above)" : "")));
        }
    }

    /** Calls the one core entry point of the goal. */
    protected abstract void run(BuildRequest request);

    /** The last line after a list of problems: what state things are in and what to run. */
    protected String afterProblems() {
        return "Nothing was written to " + relative(outputDirectory) + ". Fix the problems above and run: mvn compile";
    }

    protected boolean printDag() {
        return false;
    }

    protected BuildRequest request() throws MojoExecutionException {
        return BuildRequest.builder(project.getBasedir().toPath())
                .projectDir(projectDir.toPath())
                .defaultName(project.getArtifactId())
                .outputDirectory(outputDirectory.toPath())
                .cacheDirectory(cacheDirectory.toPath())
                .catalog(catalog)
                .database(database)
                .vars(vars())
                .environment(System.getenv())
                .targetName(target)
                .select(select)
                .exclude(exclude)
                .flinkConfiguration(flinkConfiguration())
                .classpath(classpath())
                .useCache(useCache)
                .threads(threads > 0 ? threads : Runtime.getRuntime().availableProcessors())
                .printDag(printDag())
                .pluginVersion(pluginVersion)
                .fork(fork)
                .jvmArgs(jvmArgs(jvmArgs, BuildRequest.defaultJvmArgs()))
                .pluginClasspath(pluginClasspath())
                .baseline(BaselineOption.resolve(baseline, home.toPath(), project, session, repositorySystem))
                .log(new MavenBuildLog(getLog()))
                .build();
    }

    /**
     * The plugin's own classpath (its class realm) for the planner JVM, plus slf4j, which Maven
     * provides to plugins from its core instead of the plugin's dependencies.
     */
    private List<Path> pluginClasspath() throws MojoExecutionException {
        List<Path> classpath = new ArrayList<>();
        try {
            if (getClass().getClassLoader() instanceof java.net.URLClassLoader realm) {
                for (java.net.URL url : realm.getURLs()) {
                    classpath.add(Path.of(url.toURI()));
                }
            }
            Path slf4j = Path.of(org.slf4j.LoggerFactory.class.getProtectionDomain().getCodeSource().getLocation()
                    .toURI());
            if (!classpath.contains(slf4j)) {
                classpath.add(slf4j);
            }
        } catch (java.net.URISyntaxException | NullPointerException e) {
            throw new MojoExecutionException("Cannot tell the plugin's classpath for the planner JVM (" + e
                    + "). Run with -Dflink-dbt.fork=false to plan inside Maven's JVM.", e);
        }
        return classpath;
    }

    protected BuildLog log() {
        return new MavenBuildLog(getLog());
    }

    /** JVM options given as one space-separated parameter; {@code defaults} when it is empty. */
    protected static List<String> jvmArgs(String option, List<String> defaults) {
        return option == null || option.isBlank() ? defaults : List.of(option.trim().split("\\s+"));
    }

    protected String relative(File file) {
        return project.getBasedir().toPath().relativize(file.toPath().toAbsolutePath()).toString();
    }

    private Map<String, Object> vars() throws MojoExecutionException {
        Map<String, Object> all = new TreeMap<>(vars);
        if (varsYaml != null && !varsYaml.isBlank()) {
            Problems problems = new Problems();
            YamlNode parsed = YamlReader.parse(varsYaml, "-Dflink-dbt.vars", problems).orElse(null);
            if (parsed == null || !parsed.isMap()) {
                throw new MojoExecutionException("-Dflink-dbt.vars must be a YAML mapping, e.g. "
                        + "-Dflink-dbt.vars='{start_date: 2026-01-01, region: eu}'"
                        + (problems.isEmpty() ? "" : "\n" + problems.sorted().get(0).message()));
            }
            parsed.entries().forEach((k, v) -> all.put(k, v.toPlain()));
        }
        userProperties(VAR_PREFIX).forEach(all::put);
        return all;
    }

    private Map<String, String> flinkConfiguration() {
        Map<String, String> all = new TreeMap<>(flinkConfiguration);
        all.putAll(userProperties(CONF_PREFIX));
        return all;
    }

    private Map<String, String> userProperties(String prefix) {
        Map<String, String> out = new TreeMap<>();
        Properties[] sources = {project.getProperties(), session.getSystemProperties(), session.getUserProperties()};
        for (Properties properties : sources) {
            for (String name : properties.stringPropertyNames()) {
                if (name.startsWith(prefix) && name.length() > prefix.length()) {
                    out.put(name.substring(prefix.length()), properties.getProperty(name));
                }
            }
        }
        return out;
    }

    private List<Path> classpath() throws MojoExecutionException {
        List<Path> classpath = new ArrayList<>();
        try {
            for (String element : project.getCompileClasspathElements()) {
                classpath.add(Path.of(element));
            }
        } catch (DependencyResolutionRequiredException e) {
            throw new MojoExecutionException("Cannot resolve the project's classpath: " + e.getMessage(), e);
        }
        return classpath;
    }
}
