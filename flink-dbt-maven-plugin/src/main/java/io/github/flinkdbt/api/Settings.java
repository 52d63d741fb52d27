package io.github.flinkdbt.api;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything that decides what a goal produces; how and where it runs (log, forked JVMs) is the
 * {@link Invocation}. Serialized whole: into a forked JVM, and its {@link Compile} part into the
 * fingerprint that tells whether a compile is up to date, so a new option cannot be left out of
 * either. Add an option that changes compile output to {@link Compile}; one that changes only a
 * run, a test or the state check to {@link Run}, {@link Test} or {@link Check}.
 *
 * @param home the flink-dbt home: tables, catalog, deployed plans and state of every run (a URI:
 *     {@code file:} or any scheme Flink has a file system for)
 * @param cluster the REST address of a running Flink cluster to run and test on; null to start an
 *     embedded one
 * @param access how to get into that cluster (TLS trust, headers); never printed
 * @param icebergCatalog the Iceberg catalog the models' tables live in
 */
public record Settings(
        Compile compile,
        URI home,
        URI cluster,
        RemoteAccess access,
        IcebergCatalog icebergCatalog,
        Run run,
        Test test,
        Check check,
        Standalone standalone,
        Deploy deploy) {

    /**
     * What decides compile output.
     *
     * @param basedir the Maven project directory; paths in messages are relative to it
     * @param projectDir the model project: the basedir, or a dbt project directory
     * @param defaultName the project name when there is no dbt_project.yml
     * @param outputDirectory where compiled output goes ({@code target/flink-dbt})
     * @param cacheDirectory where planner results and build records are kept between builds
     * @param catalog the Flink catalog models live in
     * @param database the Flink database of models; null for the project name
     * @param vars variables for {@code var()}, over dbt_project.yml's
     * @param target the target name models see as {@code target.name}
     * @param select dbt selection syntax; blank for every model
     * @param exclude models to leave out, same syntax
     * @param flinkConfiguration Flink options applied to every model
     * @param classpath the project's classes and dependencies
     * @param useCache reuse plans of unchanged models and skip a build whose inputs did not change
     * @param pluginVersion the plugin's version, part of every cache key
     * @param baseline what streaming models' UIDs continue from: an earlier compile output
     *     directory or a bundle jar, {@code deployed} for the home; null for the default (the
     *     home, when it ran this project)
     */
    public record Compile(
            Path basedir,
            Path projectDir,
            String defaultName,
            Path outputDirectory,
            Path cacheDirectory,
            String catalog,
            String database,
            Map<String, Object> vars,
            String target,
            String select,
            String exclude,
            Map<String, String> flinkConfiguration,
            List<Path> classpath,
            boolean useCache,
            String pluginVersion,
            String baseline) {

        public Compile {
            vars = new TreeMap<>(vars);
            flinkConfiguration = new TreeMap<>(flinkConfiguration);
            classpath = List.copyOf(classpath);
        }

        /** The same settings with other variables (a unit test's {@code overrides: vars}). */
        public Compile withVars(Map<String, Object> overrides) {
            Map<String, Object> merged = new TreeMap<>(vars);
            merged.putAll(overrides);
            return new Compile(
                    basedir,
                    projectDir,
                    defaultName,
                    outputDirectory,
                    cacheDirectory,
                    catalog,
                    database,
                    merged,
                    target,
                    select,
                    exclude,
                    flinkConfiguration,
                    classpath,
                    useCache,
                    pluginVersion,
                    baseline);
        }

        /** {@code path} as messages show it: relative to the basedir. */
        public String display(Path path) {
            return basedir.toAbsolutePath().relativize(path.toAbsolutePath()).toString();
        }
    }

    /**
     * How {@code run} runs the models.
     *
     * @param restPort the embedded cluster's REST API and web UI port; 0 for a free one
     * @param fullRefresh rebuild tables and incrementals from scratch; streaming models start empty
     * @param keepRunning keep streaming jobs running until stopped, then stop them with a savepoint
     * @param tests run each model's unit tests before it and its data tests after it (dbt's build order)
     * @param show models whose first rows are printed after the run
     */
    public record Run(int restPort, boolean fullRefresh, boolean keepRunning, boolean tests, List<String> show) {

        public Run {
            show = List.copyOf(show);
        }
    }

    /**
     * How {@code snapshot-test} tests.
     *
     * @param deployed data tests read the deployed tables of the home instead of fixtures
     * @param asOf with {@code deployed}: an Iceberg snapshot id or a time to read the tables at; null for now
     * @param reportsDirectory where the JUnit XML reports go ({@code target/flink-dbt-reports})
     */
    public record Test(boolean deployed, String asOf, Path reportsDirectory) {}

    /**
     * What {@code check-state-compat} checks against beyond the baseline.
     *
     * @param savepoint {@code model=path,...}, a savepoint, or a directory of them; null for the
     *     baseline's own (a home's last savepoints) or none
     */
    public record Check(String savepoint) {}

    /**
     * The standalone cluster {@code start-cluster} starts on this machine (its files in the home).
     *
     * @param restPort its REST API's and web UI's port
     * @param taskManagers how many TaskManagers it has
     * @param slots task slots per TaskManager
     * @param stopSeconds how long {@code stop-cluster} waits for its processes before it kills them
     */
    public record Standalone(int restPort, int taskManagers, int slots, int stopSeconds) {}

    /**
     * How {@code deploy} and {@code plan} deploy.
     *
     * @param ledger where the deployment ledger and its lock live (a URI Flink can write); null for
     *     {@code ledger/<project>} in the home
     * @param lockTimeoutSeconds how long a deployment waits for another one to end
     * @param healthTimeoutSeconds how long a started job has to pass the health gate
     * @param healthWindowSeconds how long it must then run without a restart
     * @param savepointsToKeep how many of a model's savepoints a deployment keeps; older ones are disposed of
     * @param bundle the released bundle to deploy instead of this build's plans; null for the build's
     */
    public record Deploy(
            String ledger,
            int lockTimeoutSeconds,
            int healthTimeoutSeconds,
            int healthWindowSeconds,
            int savepointsToKeep,
            Bundle bundle) {

        /** Deploys the build's plans. */
        public Deploy(
                String ledger,
                int lockTimeoutSeconds,
                int healthTimeoutSeconds,
                int healthWindowSeconds,
                int savepointsToKeep) {
            this(ledger, lockTimeoutSeconds, healthTimeoutSeconds, healthWindowSeconds, savepointsToKeep, null);
        }
    }

    /**
     * A released bundle, resolved from the repositories.
     *
     * @param coordinates its {@code groupId:artifactId:version}, as the ledger records it
     * @param jar the bundle
     * @param dependencies the jars it depends on (its connectors, its functions' libraries)
     */
    public record Bundle(String coordinates, Path jar, List<Path> dependencies) {
        public Bundle {
            dependencies = List.copyOf(dependencies);
        }
    }

    /** Settings with the plugin's defaults for a project in {@code basedir}. */
    public static Builder builder(Path basedir) {
        return new Builder(basedir);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The same settings for other models (dbt selection syntax). */
    public Settings withSelect(String select) {
        return toBuilder().select(select).build();
    }

    /** Builds settings; every field starts at the plugin's default. */
    public static final class Builder {
        private Path basedir;
        private Path projectDir;
        private String defaultName = "project";
        private Path outputDirectory;
        private Path cacheDirectory;
        private String catalog = "flink_dbt";
        private String database;
        private Map<String, Object> vars = Map.of();
        private String target = "dev";
        private String select = "";
        private String exclude = "";
        private Map<String, String> flinkConfiguration = Map.of();
        private List<Path> classpath = List.of();
        private boolean useCache = true;
        private String pluginVersion = "dev";
        private String baseline;
        private URI home;
        private URI cluster;
        private RemoteAccess access = RemoteAccess.NONE;
        private IcebergCatalog icebergCatalog = IcebergCatalog.IN_HOME;
        private int restPort;
        private boolean fullRefresh;
        private boolean keepRunning;
        private boolean tests;
        private List<String> show = List.of();
        private boolean deployed;
        private String asOf;
        private Path reportsDirectory;
        private String savepoint;
        private Standalone standalone = new Standalone(8081, 1, 2, 30);
        private Deploy deploy = new Deploy(null, 60, 300, 5, 3);

        private Builder(Path basedir) {
            this.basedir = basedir;
        }

        private Builder(Settings settings) {
            Compile c = settings.compile();
            basedir = c.basedir();
            projectDir = c.projectDir();
            defaultName = c.defaultName();
            outputDirectory = c.outputDirectory();
            cacheDirectory = c.cacheDirectory();
            catalog = c.catalog();
            database = c.database();
            vars = c.vars();
            target = c.target();
            select = c.select();
            exclude = c.exclude();
            flinkConfiguration = c.flinkConfiguration();
            classpath = c.classpath();
            useCache = c.useCache();
            pluginVersion = c.pluginVersion();
            baseline = c.baseline();
            home = settings.home();
            cluster = settings.cluster();
            access = settings.access();
            icebergCatalog = settings.icebergCatalog();
            restPort = settings.run().restPort();
            fullRefresh = settings.run().fullRefresh();
            keepRunning = settings.run().keepRunning();
            tests = settings.run().tests();
            show = settings.run().show();
            deployed = settings.test().deployed();
            asOf = settings.test().asOf();
            reportsDirectory = settings.test().reportsDirectory();
            savepoint = settings.check().savepoint();
            standalone = settings.standalone();
            deploy = settings.deploy();
        }

        public Builder projectDir(Path value) {
            projectDir = value;
            return this;
        }

        public Builder defaultName(String value) {
            defaultName = value;
            return this;
        }

        public Builder outputDirectory(Path value) {
            outputDirectory = value;
            return this;
        }

        public Builder cacheDirectory(Path value) {
            cacheDirectory = value;
            return this;
        }

        public Builder catalog(String value) {
            catalog = value;
            return this;
        }

        public Builder database(String value) {
            database = value;
            return this;
        }

        public Builder vars(Map<String, Object> value) {
            vars = value;
            return this;
        }

        public Builder target(String value) {
            target = value;
            return this;
        }

        public Builder select(String value) {
            select = value == null ? "" : value;
            return this;
        }

        public Builder exclude(String value) {
            exclude = value == null ? "" : value;
            return this;
        }

        public Builder flinkConfiguration(Map<String, String> value) {
            flinkConfiguration = value;
            return this;
        }

        public Builder classpath(List<Path> value) {
            classpath = value;
            return this;
        }

        public Builder useCache(boolean value) {
            useCache = value;
            return this;
        }

        public Builder pluginVersion(String value) {
            pluginVersion = value;
            return this;
        }

        public Builder baseline(String value) {
            baseline = value == null || value.isBlank() ? null : value.trim();
            return this;
        }

        public Builder home(URI value) {
            home = value;
            return this;
        }

        public Builder home(Path value) {
            return home(value.toAbsolutePath().normalize().toUri());
        }

        public Builder cluster(URI value) {
            cluster = value;
            return this;
        }

        public Builder access(RemoteAccess value) {
            access = value == null ? RemoteAccess.NONE : value;
            return this;
        }

        public Builder icebergCatalog(IcebergCatalog value) {
            icebergCatalog = value == null ? IcebergCatalog.IN_HOME : value;
            return this;
        }

        public Builder restPort(int value) {
            restPort = value;
            return this;
        }

        public Builder fullRefresh(boolean value) {
            fullRefresh = value;
            return this;
        }

        public Builder keepRunning(boolean value) {
            keepRunning = value;
            return this;
        }

        public Builder tests(boolean value) {
            tests = value;
            return this;
        }

        public Builder show(List<String> value) {
            show = value;
            return this;
        }

        public Builder deployed(boolean value) {
            deployed = value;
            return this;
        }

        public Builder asOf(String value) {
            asOf = value == null || value.isBlank() ? null : value;
            return this;
        }

        public Builder reportsDirectory(Path value) {
            reportsDirectory = value;
            return this;
        }

        public Builder savepoint(String value) {
            savepoint = value == null || value.isBlank() ? null : value;
            return this;
        }

        public Builder standalone(Standalone value) {
            standalone = value;
            return this;
        }

        public Builder deploy(Deploy value) {
            deploy = value;
            return this;
        }

        public Settings build() {
            Path targetDirectory = basedir.resolve("target");
            return new Settings(
                    new Compile(
                            basedir,
                            projectDir != null ? projectDir : basedir,
                            defaultName,
                            outputDirectory != null ? outputDirectory : targetDirectory.resolve("flink-dbt"),
                            cacheDirectory != null ? cacheDirectory : targetDirectory.resolve("flink-dbt-cache"),
                            catalog,
                            database,
                            vars,
                            target,
                            select,
                            exclude,
                            flinkConfiguration,
                            classpath,
                            useCache,
                            pluginVersion,
                            baseline),
                    home != null
                            ? home
                            : basedir.resolve(".flink-dbt")
                                    .toAbsolutePath()
                                    .normalize()
                                    .toUri(),
                    cluster,
                    access,
                    icebergCatalog,
                    new Run(restPort, fullRefresh, keepRunning, tests, show),
                    new Test(
                            deployed,
                            asOf,
                            reportsDirectory != null ? reportsDirectory : targetDirectory.resolve("flink-dbt-reports")),
                    new Check(savepoint),
                    standalone,
                    deploy);
        }
    }
}
