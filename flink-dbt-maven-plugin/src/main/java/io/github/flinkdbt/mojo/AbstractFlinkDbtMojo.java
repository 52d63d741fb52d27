package io.github.flinkdbt.mojo;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.api.IcebergCatalog;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.Problem;
import io.github.flinkdbt.common.ProblemsException;
import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.eclipse.aether.RepositorySystem;
import org.slf4j.LoggerFactory;

/**
 * Parameters shared by every goal, each settable as a {@code flink-dbt.*} property, and the one
 * way goals turn core failures into Maven messages. Like Flyway's {@code flyway.placeholders.*},
 * {@code -Dflink-dbt.vars.<name>=} and {@code -Dflink-dbt.conf.<flink option>=} add single entries.
 */
public abstract class AbstractFlinkDbtMojo extends AbstractMojo {

    static final String LOCAL_CLUSTER = "http://localhost:8081";

    /** A URI scheme of two letters or more (one letter is a Windows drive). */
    private static final Pattern URI_SCHEME = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]+:.*");

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    protected MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    protected MavenSession session;

    @Parameter(defaultValue = "${plugin.version}", readonly = true, required = true)
    protected String pluginVersion;

    /** The model project: this project, or a dbt project directory (with dbt_project.yml). */
    @Parameter(property = PropertyNames.PROJECT_DIR, defaultValue = "${project.basedir}")
    protected File projectDir;

    /** Where compiled SQL, plans and manifest.json are written. */
    @Parameter(property = PropertyNames.OUTPUT_DIRECTORY, defaultValue = "${project.build.directory}/flink-dbt")
    protected File outputDirectory;

    /** Where planner results are kept so unchanged models are not planned again. */
    @Parameter(property = PropertyNames.CACHE_DIRECTORY, defaultValue = "${project.build.directory}/flink-dbt-cache")
    protected File cacheDirectory;

    /** Reuse plans of unchanged models (false: plan everything). */
    @Parameter(property = PropertyNames.USE_CACHE, defaultValue = "true")
    protected boolean useCache;

    /** The Flink catalog models are created in. */
    @Parameter(property = PropertyNames.CATALOG, defaultValue = "flink_dbt")
    protected String catalog;

    /** The Flink database of models (dbt's target schema); defaults to the project name. */
    @Parameter(property = PropertyNames.DATABASE)
    protected String database;

    /**
     * The target, as dbt's {@code --target}: models see it as {@code target.name}, and it says where
     * {@code run} and {@code snapshot-test} run: {@code embedded} (a cluster in the build's JVM),
     * {@code remote} (the cluster at {@code flink-dbt.restUrl}), or any other name: remote when
     * {@code flink-dbt.restUrl} is set, embedded otherwise.
     */
    @Parameter(property = PropertyNames.TARGET, defaultValue = "dev")
    protected String target;

    /**
     * The REST URL of the Flink cluster to run and test on, e.g. {@code http://flink-jobmanager:8081};
     * with {@code flink-dbt.target=remote} it defaults to {@value #LOCAL_CLUSTER} (the cluster
     * {@code start-cluster} starts).
     */
    @Parameter(property = PropertyNames.REST_URL)
    protected String restUrl;

    /**
     * The id of the {@code settings.xml} {@code <server>} with the remote cluster's credentials
     * (basic auth, {@code <httpHeaders>}) and TLS {@code <trustStore>}; never printed.
     */
    @Parameter(property = PropertyNames.SERVER_ID)
    protected String serverId;

    @Component
    private SettingsDecrypter settingsDecrypter;

    /**
     * The Iceberg catalog the models' tables live in, in the property names of Iceberg's Flink
     * catalog: nothing for a Hadoop catalog in the home; {@code <catalog-type>rest</catalog-type>}
     * with {@code <uri>} (and {@code <warehouse>}) for any Iceberg REST catalog;
     * {@code <catalog-type>jdbc</catalog-type>} with a JDBC {@code <uri>}; or {@code <catalog-impl>}.
     * Secrets are refused here: they come from {@code flink-dbt.catalogServerId}.
     */
    @Parameter
    protected Map<String, String> icebergCatalog = new TreeMap<>();

    /**
     * The id of the {@code settings.xml} {@code <server>} with the Iceberg catalog's secrets: its
     * username and password (a JDBC catalog's user, a REST catalog's OAuth2 client id and secret),
     * and any catalog property in its {@code <configuration>} ({@code <token>}, …); never printed.
     */
    @Parameter(property = PropertyNames.CATALOG_SERVER_ID)
    protected String catalogServerId;

    /** Variables for {@code var()}. */
    @Parameter
    protected Map<String, String> vars = new TreeMap<>();

    /** Variables as a YAML/JSON mapping, like dbt's --vars: {@code -Dflink-dbt.vars='{start: 2026-01-01}'}. */
    @Parameter(property = PropertyNames.VARS)
    protected String varsYaml;

    /** Flink options for planning and running every model, e.g. {@code table.exec.state.ttl}. */
    @Parameter
    protected Map<String, String> flinkConfiguration = new TreeMap<>();

    /** Models to work on, in dbt's selection syntax: {@code orders+ tag:nightly}. */
    @Parameter(property = PropertyNames.SELECT)
    protected String select;

    /** Models to leave out, same syntax. */
    @Parameter(property = PropertyNames.EXCLUDE)
    protected String exclude;

    /**
     * Plan, run and test in separate JVMs (the planner only when a model needs it). Keeps Flink out
     * of Maven's JVM and runs the planner with JIT settings that suit it.
     */
    @Parameter(property = PropertyNames.FORK, defaultValue = "true")
    protected boolean fork;

    /** Options of the planner JVM, space separated; by default tuned to the number of cores. */
    @Parameter(property = PropertyNames.JVM_ARGS)
    protected String jvmArgs;

    /** Planner threads; 0 means one per CPU core. */
    @Parameter(property = PropertyNames.THREADS, defaultValue = "0")
    protected int threads;

    /**
     * Tables, catalog, savepoints and plans of every run; outside target/ so that mvn clean keeps
     * them. A directory, or a URI of a file system Flink has.
     */
    @Parameter(property = PropertyNames.HOME, defaultValue = "${project.basedir}/.flink-dbt")
    protected String home;

    /**
     * What streaming models' state is checked against and their operator UIDs continue from: a
     * directory of an earlier {@code target/flink-dbt}, a released bundle's
     * {@code groupId:artifactId:version}, or {@code deployed} (what {@code flink-dbt.home} last ran).
     * By default what the home last ran, when it ran this project.
     */
    @Parameter(property = PropertyNames.BASELINE)
    protected String baseline;

    @Component
    protected RepositorySystem repositorySystem;

    /** Skips the goal. */
    @Parameter(property = PropertyNames.SKIP, defaultValue = "false")
    protected boolean skip;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("flink-dbt: skipped (" + PropertyNames.SKIP + ")");
            return;
        }
        FlinkLogging.quiet(getLog().isDebugEnabled());
        try {
            Request request = request();
            run(request.settings(), request.invocation());
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
            throw new MojoFailureException("flink-dbt: "
                    + (lines.isEmpty()
                            ? e.getClass().getSimpleName()
                            : lines.get(0) + (lines.size() > 1 ? " (details above)" : "")));
        }
    }

    /** Calls the one core entry point of the goal. */
    protected abstract void run(Settings settings, Invocation invocation) throws MojoExecutionException;

    /** Adds what only this goal has to the settings and the invocation. */
    protected void configure(Settings.Builder settings, Invocation.Builder invocation) throws MojoExecutionException {}

    /** The last line after a list of problems: what state things are in and what to run. */
    protected String afterProblems() {
        return "Nothing was written to " + relative(outputDirectory) + ". Fix the problems above and run: mvn compile";
    }

    /** What a goal is given: its settings and how it runs. */
    record Request(Settings settings, Invocation invocation) {}

    /** The parameters as the core takes them. */
    Request request() throws MojoExecutionException {
        Settings.Builder settings = Settings.builder(project.getBasedir().toPath())
                .projectDir(projectDir.toPath())
                .defaultName(project.getArtifactId())
                .outputDirectory(outputDirectory.toPath())
                .cacheDirectory(cacheDirectory.toPath())
                .catalog(catalog)
                .database(database)
                .vars(vars())
                .target(target)
                .select(select)
                .exclude(exclude)
                .flinkConfiguration(flinkConfiguration())
                .classpath(classpath())
                .useCache(useCache)
                .pluginVersion(pluginVersion)
                .baseline(BaselineOption.resolve(baseline, project, session, repositorySystem))
                .home(home())
                .cluster(cluster())
                .access(ServerAccess.of(
                        serverId,
                        session,
                        settingsDecrypter,
                        project.getBasedir().toPath()))
                .icebergCatalog(icebergCatalog());
        Invocation.Builder invocation = Invocation.builder(new MavenBuildLog(getLog()), MavenHints.get())
                .environment(System.getenv())
                .fork(fork)
                .pluginClasspath(pluginClasspath())
                .plannerJvmArgs(jvmArgs(jvmArgs, Invocation.defaultPlannerJvmArgs()))
                .threads(threads > 0 ? threads : Runtime.getRuntime().availableProcessors())
                .keepCompiled(LaterGoals.runTheCompile(session.getGoals()));
        configure(settings, invocation);
        return new Request(settings.build(), invocation.build());
    }

    /** The remote cluster's REST URL; null for an embedded cluster. */
    private URI cluster() throws MojoExecutionException {
        boolean url = restUrl != null && !restUrl.isBlank();
        if ("embedded".equals(target)) {
            if (url) {
                throw new MojoExecutionException(
                        PropertyNames.TARGET + "=embedded runs on a cluster in the build's JVM, but "
                                + PropertyNames.REST_URL + "=" + restUrl + " names a remote one. Drop one of them.");
            }
            return null;
        }
        if (!url) {
            return "remote".equals(target) ? URI.create(LOCAL_CLUSTER) : null;
        }
        try {
            return new URI(restUrl.trim());
        } catch (URISyntaxException e) {
            throw new MojoExecutionException("-D" + PropertyNames.REST_URL + "=" + restUrl + " is not a URL: "
                    + e.getMessage() + ". Write it like " + LOCAL_CLUSTER + ".");
        }
    }

    /** The home: a URI as given, or a directory relative to the project. */
    private URI home() {
        if (URI_SCHEME.matcher(home).matches()) {
            return URI.create(home);
        }
        return project.getBasedir()
                .toPath()
                .resolve(home)
                .toAbsolutePath()
                .normalize()
                .toUri();
    }

    /**
     * The plugin's own classpath (its class realm) for the forked JVMs, plus slf4j, which Maven
     * provides to plugins from its core instead of the plugin's dependencies.
     */
    private List<Path> pluginClasspath() throws MojoExecutionException {
        List<Path> classpath = new ArrayList<>();
        try {
            if (getClass().getClassLoader() instanceof URLClassLoader realm) {
                for (URL url : realm.getURLs()) {
                    classpath.add(Path.of(url.toURI()));
                }
            }
            Path slf4j = Path.of(LoggerFactory.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            if (!classpath.contains(slf4j)) {
                classpath.add(slf4j);
            }
        } catch (URISyntaxException | NullPointerException e) {
            throw new MojoExecutionException(
                    "Cannot tell the plugin's classpath for the forked JVMs (" + e + "). Run with -D"
                            + PropertyNames.FORK + "=false to work inside Maven's JVM.",
                    e);
        }
        return classpath;
    }

    /** JVM options given as one space-separated parameter; {@code defaults} when it is empty. */
    protected static List<String> jvmArgs(String option, List<String> defaults) {
        return option == null || option.isBlank()
                ? defaults
                : List.of(option.trim().split("\\s+"));
    }

    protected String relative(File file) {
        return project.getBasedir()
                .toPath()
                .relativize(file.toPath().toAbsolutePath())
                .toString();
    }

    /** {@code <vars>}, then {@code -Dflink-dbt.vars='{...}'}, then each {@code -Dflink-dbt.vars.<name>=}. */
    private Map<String, Object> vars() {
        Map<String, Object> all = new TreeMap<>(vars);
        all.putAll(FlinkDbt.vars(varsYaml, "-D" + PropertyNames.VARS));
        all.putAll(userProperties(PropertyNames.VAR_PREFIX));
        return all;
    }

    private IcebergCatalog icebergCatalog() throws MojoExecutionException {
        IcebergCatalog properties = new IcebergCatalog(icebergCatalog, Map.of());
        return new IcebergCatalog(
                icebergCatalog, CatalogSecrets.of(catalogServerId, properties.type(), session, settingsDecrypter));
    }

    private Map<String, String> flinkConfiguration() {
        Map<String, String> all = new TreeMap<>(flinkConfiguration);
        all.putAll(userProperties(PropertyNames.CONF_PREFIX));
        return all;
    }

    /** Properties named {@code prefix<name>} of the POM, the JVM and the command line (later ones win). */
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
