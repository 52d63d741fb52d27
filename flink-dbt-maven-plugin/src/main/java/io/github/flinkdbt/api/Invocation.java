package io.github.flinkdbt.api;

import io.github.flinkdbt.common.BuildLog;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How and where a goal runs, as opposed to what it produces ({@link Settings}): where it reports,
 * how the tool names its options, and whether the work goes to forked JVMs and how those are sized.
 *
 * @param hints how messages name options and commands
 * @param environment what {@code env_var()} sees (and forked JVMs' environment)
 * @param fork plan, run and test in forked JVMs (the planner only when a model needs it)
 * @param pluginClasspath the plugin's own classpath, for those JVMs
 * @param plannerJvmArgs options of the planner JVM
 * @param runJvmArgs options of the JVM {@code run} forks
 * @param testJvmArgs options of the JVM {@code snapshot-test} forks
 * @param threads planner threads
 * @param printDag print the model DAG after compiling
 * @param keepCompiled a later goal of this build ({@code run}, {@code snapshot-test}) runs what
 *     {@code compile-models} compiles: keep it for that goal. A forked planner then sends the
 *     compiled project back (megabytes for hundreds of models), which a build that only compiles
 *     need not pay
 * @param control stops a run that keeps its streaming jobs running
 */
public record Invocation(
        BuildLog log,
        Hints hints,
        Map<String, String> environment,
        boolean fork,
        List<Path> pluginClasspath,
        List<String> plannerJvmArgs,
        List<String> runJvmArgs,
        List<String> testJvmArgs,
        int threads,
        boolean printDag,
        boolean keepCompiled,
        RunControl control) {

    /** Options of a forked run or test JVM unless the user gives others. */
    public static final List<String> DEFAULT_RUN_JVM_ARGS = List.of("-Xmx2g", "-XX:+UseParallelGC");

    public Invocation {
        environment = Map.copyOf(environment);
        pluginClasspath = List.copyOf(pluginClasspath);
        plannerJvmArgs = List.copyOf(plannerJvmArgs);
        runJvmArgs = List.copyOf(runJvmArgs);
        testJvmArgs = List.copyOf(testJvmArgs);
        threads = Math.max(1, threads);
    }

    /** JVM options that suit short planning runs on this machine. */
    public static List<String> defaultPlannerJvmArgs() {
        // On few cores the optimizing JIT competes with the planner threads for the whole run
        // (measured: half the CPU of a 500-model compile on 2 cores); the quick JIT pays off here.
        return Runtime.getRuntime().availableProcessors() <= 4
                ? List.of("-XX:+UseParallelGC", "-XX:TieredStopAtLevel=1")
                : List.of("-XX:+UseParallelGC");
    }

    /** In this JVM, one planner thread per core, no DAG printed, this process's environment. */
    public static Builder builder(BuildLog log, Hints hints) {
        return new Builder(log, hints);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The same invocation, stopped by {@code other}. */
    public Invocation withControl(RunControl other) {
        return toBuilder().control(other).build();
    }

    /** Builds invocations; every field starts at its default. */
    public static final class Builder {
        private BuildLog log;
        private Hints hints;
        private Map<String, String> environment = System.getenv();
        private boolean fork;
        private List<Path> pluginClasspath = List.of();
        private List<String> plannerJvmArgs = defaultPlannerJvmArgs();
        private List<String> runJvmArgs = DEFAULT_RUN_JVM_ARGS;
        private List<String> testJvmArgs = DEFAULT_RUN_JVM_ARGS;
        private int threads = Runtime.getRuntime().availableProcessors();
        private boolean printDag;
        private boolean keepCompiled;
        private RunControl control = new RunControl();

        private Builder(BuildLog log, Hints hints) {
            this.log = log;
            this.hints = hints;
        }

        private Builder(Invocation invocation) {
            log = invocation.log();
            hints = invocation.hints();
            environment = invocation.environment();
            fork = invocation.fork();
            pluginClasspath = invocation.pluginClasspath();
            plannerJvmArgs = invocation.plannerJvmArgs();
            runJvmArgs = invocation.runJvmArgs();
            testJvmArgs = invocation.testJvmArgs();
            threads = invocation.threads();
            printDag = invocation.printDag();
            keepCompiled = invocation.keepCompiled();
            control = invocation.control();
        }

        public Builder log(BuildLog value) {
            log = value;
            return this;
        }

        public Builder environment(Map<String, String> value) {
            environment = value;
            return this;
        }

        public Builder fork(boolean value) {
            fork = value;
            return this;
        }

        public Builder pluginClasspath(List<Path> value) {
            pluginClasspath = value;
            return this;
        }

        public Builder plannerJvmArgs(List<String> value) {
            plannerJvmArgs = value;
            return this;
        }

        public Builder runJvmArgs(List<String> value) {
            runJvmArgs = value;
            return this;
        }

        public Builder testJvmArgs(List<String> value) {
            testJvmArgs = value;
            return this;
        }

        public Builder threads(int value) {
            threads = value;
            return this;
        }

        public Builder printDag(boolean value) {
            printDag = value;
            return this;
        }

        public Builder keepCompiled(boolean value) {
            keepCompiled = value;
            return this;
        }

        public Builder control(RunControl value) {
            control = value;
            return this;
        }

        public Invocation build() {
            return new Invocation(
                    log,
                    hints,
                    environment,
                    fork,
                    pluginClasspath,
                    plannerJvmArgs,
                    runJvmArgs,
                    testJvmArgs,
                    threads,
                    printDag,
                    keepCompiled,
                    control);
        }
    }
}
