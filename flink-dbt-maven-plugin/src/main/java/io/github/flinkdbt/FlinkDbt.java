package io.github.flinkdbt;

import io.github.flinkdbt.api.BuildSummary;
import io.github.flinkdbt.api.DeployMode;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Option;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.build.Clusters;
import io.github.flinkdbt.build.Goals;
import io.github.flinkdbt.deploy.DeployOutcome;
import io.github.flinkdbt.project.Vars;
import io.github.flinkdbt.report.docs.DocsServer;
import io.github.flinkdbt.report.docs.DocsSite;
import io.github.flinkdbt.run.RunOutcome;
import io.github.flinkdbt.state.ModelVerdict;
import io.github.flinkdbt.testing.TestOutcome;
import java.net.URI;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

/**
 * The entry points of flink-dbt, one per goal. What a goal produces is decided by its
 * {@link Settings}; how and where it runs (log, forked JVMs) by its {@link Invocation}. Each
 * throws {@code FlinkDbtException} (or its {@code ProblemsException}) with everything the user
 * must fix.
 *
 * <p>A goal does as little as its inputs require: nothing when no input changed since its last
 * successful run; no planner when every model is unchanged; otherwise the planner, in a forked JVM
 * when {@link Invocation#fork()}.
 */
public final class FlinkDbt {

    private FlinkDbt() {}

    /** {@code validate-models}: render, build the DAG, plan every selected model. Writes nothing. */
    public static BuildSummary validate(Settings settings, Invocation invocation) {
        return Goals.validate(settings, invocation);
    }

    /** {@code compile-models}: validate, then write compiled SQL, plans and manifest atomically. */
    public static BuildSummary compile(Settings settings, Invocation invocation) {
        return Goals.compile(settings, invocation);
    }

    /**
     * {@code run}: compile (as {@link #compile}), then run the selected models on a Flink cluster into
     * the persistent catalog of the home; writes {@code run_results.json}. Throws when a model failed,
     * after every other model ran.
     */
    public static RunOutcome run(Settings settings, Invocation invocation) {
        return Goals.run(settings, invocation);
    }

    /**
     * {@code snapshot-test}: compile, then run the selected models' unit tests and data tests on one
     * cluster; writes JUnit XML reports. Throws listing the failures when a test of severity error
     * failed, after every test ran.
     */
    public static TestOutcome test(Settings settings, Invocation invocation) {
        return Goals.test(settings, invocation);
    }

    /**
     * {@code check-state-compat}: compile against the baseline (so stateful operators keep its UIDs
     * where their state restores), then give each streaming model its verdict; with savepoints,
     * operator by operator. Writes {@code state-compat.json} and {@code state-compat.md}; throws
     * naming each incompatible model whose policy is {@code fail}.
     */
    public static List<ModelVerdict> checkStateCompat(Settings settings, Invocation invocation) {
        return Goals.checkStateCompat(settings, invocation);
    }

    /**
     * {@code deploy}: checks the state as {@link #checkStateCompat}, then, under the ledger's lock,
     * finishes a deployment a dead deployer left, and takes each streaming model to its new plan on
     * the cluster (savepoint, restore, health gate, rollback); {@link DeployMode#PLAN} only prints
     * what it would do; {@link DeployMode#ROLLBACK} takes the models the last deployment changed back
     * to their previous plans. Throws when a policy refuses an action (nothing changed) or a model
     * did not end on its new plan.
     */
    public static DeployOutcome deploy(Settings settings, Invocation invocation, DeployMode mode) {
        return Goals.deploy(settings, invocation, mode);
    }

    /**
     * {@code status}: each deployed streaming model's job (and what the cluster says of it), plan and
     * savepoint; the deployment lock; a deployment that did not end.
     */
    public static List<String> deployStatus(Settings settings, Invocation invocation) {
        return Goals.deployStatus(settings, invocation);
    }

    /** {@code history}: every deployment of the ledger: when, who, which commit, per model what and how it ended. */
    public static List<String> deployHistory(Settings settings, Invocation invocation) {
        return Goals.deployHistory(settings, invocation);
    }

    /** {@code force-unlock}: opens the deployment lock held by a deployer known to be dead. */
    public static void forceUnlock(Settings settings, Invocation invocation) {
        Goals.forceUnlock(settings, invocation);
    }

    /**
     * {@code docs}: compile (as {@link #checkStateCompat}, without refusing anything), then write the
     * docs site to {@code directory}: the lineage graph with column lineage, a page per node with its
     * state verdict and deploy history, and the dbt artifacts. Problems with descriptions are listed,
     * never fatal.
     */
    public static URI docs(Settings settings, Invocation invocation, Path directory) {
        return Goals.docs(settings, invocation, directory)
                .directory()
                .resolve(DocsSite.INDEX)
                .toUri();
    }

    /**
     * {@code docs -Dflink-dbt.serve}: serves a written site on localhost (port 0: any free one) and
     * prints its URL; returns when the thread is interrupted (Ctrl-C ends Maven).
     */
    public static void serveDocs(Path directory, int port, Invocation invocation) throws InterruptedException {
        try (DocsServer server =
                DocsServer.start(directory, port, invocation.hints().set(Option.DOCS_PORT, "<port>"))) {
            invocation.log().info("flink-dbt: serving the docs at " + server.url() + " (Ctrl-C stops)");
            Thread.currentThread().join();
        }
    }

    /** {@code bundle}: the compile output and the project's classes in one reproducible jar. */
    public static void bundle(
            Settings settings, Invocation invocation, Path classes, Path jar, LocalDateTime timestamp) {
        Goals.bundle(settings, invocation, classes, jar, timestamp);
    }

    /**
     * {@code start-cluster}: starts the home's standalone Flink cluster (a JobManager and TaskManagers
     * as processes of their own) unless it runs; returns its REST URL once every TaskManager registered.
     */
    public static URI startCluster(Settings settings, Invocation invocation) {
        return Clusters.start(settings, invocation).restUrl();
    }

    /** {@code stop-cluster}: stops it gracefully, then kills what did not stop in time. */
    public static void stopCluster(Settings settings, Invocation invocation) {
        Clusters.stop(settings, invocation);
    }

    /** {@code cluster-status}: prints its processes, TaskManagers, slots and jobs. */
    public static void clusterStatus(Settings settings, Invocation invocation) {
        Clusters.status(settings, invocation);
    }

    /** Variables given as one YAML (or JSON) mapping, like dbt's {@code --vars}; {@code origin} names them in errors. */
    public static Map<String, Object> vars(String yaml, String origin) {
        return Vars.parse(yaml, origin);
    }
}
