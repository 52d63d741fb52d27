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
 * @param cacheDirectory where planner results and build records are kept between builds
 * @param catalog the Flink catalog models live in
 * @param database the Flink database of models; null for the project name
 * @param vars variables for {@code var()}, over dbt_project.yml's
 * @param environment what {@code env_var()} sees
 * @param select dbt selection syntax; blank for every model
 * @param flinkConfiguration Flink options applied to every model
 * @param classpath the project's classes and dependencies
 * @param threads planner threads
 * @param fork plan in a separate JVM (when the planner is needed at all)
 * @param jvmArgs options of that JVM
 * @param pluginClasspath the plugin's own classpath, for that JVM
 * @param baseline what streaming models' UIDs continue from: an earlier compile output directory,
 *     a bundle jar, or a flink-dbt home (what it last ran); null for none
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
        boolean fork,
        List<String> jvmArgs,
        List<Path> pluginClasspath,
        Path baseline,
        BuildLog log) {

    /** A request with the conventional defaults for a project in {@code basedir}. */
    public static Builder builder(Path basedir) {
        return new Builder(basedir);
    }

    public Builder toBuilder() {
        Builder b = new Builder(basedir);
        b.projectDir = projectDir;
        b.defaultName = defaultName;
        b.outputDirectory = outputDirectory;
        b.cacheDirectory = cacheDirectory;
        b.catalog = catalog;
        b.database = database;
        b.vars = vars;
        b.environment = environment;
        b.targetName = targetName;
        b.select = select;
        b.exclude = exclude;
        b.flinkConfiguration = flinkConfiguration;
        b.classpath = classpath;
        b.useCache = useCache;
        b.threads = threads;
        b.printDag = printDag;
        b.pluginVersion = pluginVersion;
        b.fork = fork;
        b.jvmArgs = jvmArgs;
        b.pluginClasspath = pluginClasspath;
        b.baseline = baseline;
        b.log = log;
        return b;
    }

    /** JVM options that suit short planning runs on this machine. */
    public static List<String> defaultJvmArgs() {
        // On few cores the optimizing JIT competes with the planner threads for the whole run
        // (measured: half the CPU of a 500-model compile on 2 cores); the quick JIT pays off here.
        return Runtime.getRuntime().availableProcessors() <= 4
                ? List.of("-XX:+UseParallelGC", "-XX:TieredStopAtLevel=1")
                : List.of("-XX:+UseParallelGC");
    }

    /** Builds requests; every field has the plugin's default. */
    public static final class Builder {
        private final Path basedir;
        private Path projectDir;
        private String defaultName = "project";
        private Path outputDirectory;
        private Path cacheDirectory;
        private String catalog = "flink_dbt";
        private String database;
        private Map<String, Object> vars = Map.of();
        private Map<String, String> environment = System.getenv();
        private String targetName = "dev";
        private String select = "";
        private String exclude = "";
        private Map<String, String> flinkConfiguration = Map.of();
        private List<Path> classpath = List.of();
        private boolean useCache = true;
        private int threads = Runtime.getRuntime().availableProcessors();
        private boolean printDag;
        private String pluginVersion = "dev";
        private boolean fork;
        private List<String> jvmArgs = defaultJvmArgs();
        private List<Path> pluginClasspath = List.of();
        private Path baseline;
        private BuildLog log = BuildLog.silent();

        private Builder(Path basedir) {
            this.basedir = basedir;
        }

        public Builder projectDir(Path value) { projectDir = value; return this; }
        public Builder defaultName(String value) { defaultName = value; return this; }
        public Builder outputDirectory(Path value) { outputDirectory = value; return this; }
        public Builder cacheDirectory(Path value) { cacheDirectory = value; return this; }
        public Builder catalog(String value) { catalog = value; return this; }
        public Builder database(String value) { database = value; return this; }
        public Builder vars(Map<String, Object> value) { vars = value; return this; }
        public Builder environment(Map<String, String> value) { environment = value; return this; }
        public Builder targetName(String value) { targetName = value; return this; }
        public Builder select(String value) { select = value == null ? "" : value; return this; }
        public Builder exclude(String value) { exclude = value == null ? "" : value; return this; }
        public Builder flinkConfiguration(Map<String, String> value) { flinkConfiguration = value; return this; }
        public Builder classpath(List<Path> value) { classpath = value; return this; }
        public Builder useCache(boolean value) { useCache = value; return this; }
        public Builder threads(int value) { threads = value; return this; }
        public Builder printDag(boolean value) { printDag = value; return this; }
        public Builder pluginVersion(String value) { pluginVersion = value; return this; }
        public Builder fork(boolean value) { fork = value; return this; }
        public Builder jvmArgs(List<String> value) { jvmArgs = value; return this; }
        public Builder pluginClasspath(List<Path> value) { pluginClasspath = value; return this; }
        public Builder baseline(Path value) { baseline = value; return this; }
        public Builder log(BuildLog value) { log = value; return this; }

        public BuildRequest build() {
            Path target = basedir.resolve("target");
            return new BuildRequest(basedir, projectDir != null ? projectDir : basedir, defaultName,
                    outputDirectory != null ? outputDirectory : target.resolve("flink-dbt"),
                    cacheDirectory != null ? cacheDirectory : target.resolve("flink-dbt-cache"), catalog, database,
                    Map.copyOf(vars), environment, targetName, select, exclude, Map.copyOf(flinkConfiguration),
                    List.copyOf(classpath), useCache, Math.max(1, threads), printDag, pluginVersion, fork,
                    List.copyOf(jvmArgs), List.copyOf(pluginClasspath), baseline, log);
        }
    }
}
