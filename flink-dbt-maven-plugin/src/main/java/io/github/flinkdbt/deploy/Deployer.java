package io.github.flinkdbt.deploy;

import io.github.flinkdbt.api.Command;
import io.github.flinkdbt.api.DeployMode;
import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Option;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.cluster.FlinkCluster;
import io.github.flinkdbt.common.BuildLog;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.FlinkFiles;
import io.github.flinkdbt.deploy.DeployOutcome.ModelResult;
import io.github.flinkdbt.graph.Selection;
import io.github.flinkdbt.home.DeployedPlans;
import io.github.flinkdbt.home.FlinkDbtHome;
import io.github.flinkdbt.home.IcebergCatalogs;
import io.github.flinkdbt.home.ledger.DeployLock;
import io.github.flinkdbt.home.ledger.Ledger;
import io.github.flinkdbt.planner.CompiledProject;
import io.github.flinkdbt.planner.PlannedModel;
import io.github.flinkdbt.project.Materialization;
import io.github.flinkdbt.project.Model;
import io.github.flinkdbt.run.ProjectRunner;
import io.github.flinkdbt.run.RunOutcome;
import io.github.flinkdbt.state.ModelVerdict;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.core.fs.Path;

/**
 * {@code deploy} and {@code plan}: the build's streaming models onto a cluster that outlives the
 * build. Under the ledger's lock, it first finishes what a deployer that died left half done, then
 * plans one action per model ({@link DeployPlanner}), refuses the whole deployment when a policy
 * forbids one of them, and applies the rest side by side, each as a journaled, health-gated
 * {@link ModelTransition}.
 */
public final class Deployer {

    /** How long a deployer's hold on the lock lasts unless renewed; a dead deployer's ends this soon after. */
    static final Duration LEASE = Duration.ofSeconds(20);

    /** What every part of a deployment reads: the build, its settings, the home. */
    record Context(
            CompiledProject compiled,
            Settings settings,
            Invocation invocation,
            FlinkDbtHome home,
            Map<String, ModelVerdict> verdicts) {
        String project() {
            return compiled.project().name();
        }
    }

    private final Context context;
    private final CompiledProject compiled;
    private final Settings settings;
    private final Invocation invocation;
    private final BuildLog log;
    private final Hints hints;
    private final String project;
    private final FlinkDbtHome home;

    private Deployer(CompiledProject compiled, Settings settings, Invocation invocation, List<ModelVerdict> verdicts) {
        this.compiled = compiled;
        this.settings = settings;
        this.invocation = invocation;
        this.log = invocation.log();
        this.hints = invocation.hints();
        this.project = compiled.project().name();
        this.home = FlinkDbtHome.open(settings.home(), hints);
        this.context = new Context(
                compiled,
                settings,
                invocation,
                home,
                verdicts.stream().collect(Collectors.toMap(ModelVerdict::name, Function.identity())));
    }

    /**
     * Plans the deployment and, unless only a {@link DeployMode#PLAN} is asked, applies it (or, for
     * a {@link DeployMode#ROLLBACK}, the way back from the last deployment). Throws when a policy
     * refuses an action (nothing changed then) or when a model did not end on its new plan.
     *
     * @param verdicts the streaming models' state verdicts against what is deployed
     */
    public static DeployOutcome deploy(
            CompiledProject compiled,
            Settings settings,
            Invocation invocation,
            List<ModelVerdict> verdicts,
            DeployMode mode) {
        return deploy(compiled, settings, invocation, verdicts, mode, Release.BUILD);
    }

    /** @param release where the plans come from: the build, or a released bundle */
    public static DeployOutcome deploy(
            CompiledProject compiled,
            Settings settings,
            Invocation invocation,
            List<ModelVerdict> verdicts,
            DeployMode mode,
            Release release) {
        requireCluster(settings, invocation.hints());
        return new Deployer(compiled, settings, invocation, verdicts).deploy(mode, release);
    }

    /**
     * What is deployed, as the ledger records it.
     *
     * @param bundle the released bundle's coordinates; null for this build's plans
     * @param builtPlans the streaming plans as built, by model, before their UIDs were continued from
     *     what is deployed; a model missing here was deployed as built
     */
    public record Release(String bundle, Map<String, String> builtPlans) {
        static final Release BUILD = new Release(null, Map.of());

        public Release {
            builtPlans = Map.copyOf(builtPlans);
        }

        Map<String, String> facts(Map<String, String> plans) {
            Map<String, String> facts = new TreeMap<>();
            if (bundle != null) {
                facts.put("bundle", bundle);
            }
            plans.forEach((model, plan) ->
                    facts.put("built." + model, DeployedPlans.checksum(builtPlans.getOrDefault(model, plan))));
            return facts;
        }
    }

    /** Refuses the embedded cluster: it ends with the build, and its jobs with it. */
    public static void requireCluster(Settings settings, Hints hints) {
        if (settings.cluster() == null) {
            throw new FlinkDbtException("Nothing to deploy to: the embedded cluster ends with the build, and its jobs"
                    + " with it. Start a cluster that outlives the build (" + hints.command(Command.START_CLUSTER)
                    + ") and deploy to it with " + hints.set(Option.TARGET, "remote") + ", or to any session"
                    + " cluster with " + hints.set(Option.REST_URL, "<its REST address>") + ".");
        }
    }

    /** Where the ledger of the project lives: the setting, else {@code ledger/<project>} in the home. */
    public static Path ledgerDirectory(Settings settings, String project) {
        String configured = settings.deploy().ledger();
        return configured != null
                ? new Path(FlinkFiles.toUri(configured, settings.compile().basedir()))
                : new Path(new Path(settings.home()), "ledger/" + project);
    }

    private DeployOutcome deploy(DeployMode mode, Release release) {
        IcebergCatalogs.check(settings.icebergCatalog(), hints);
        Ledger ledger = Ledger.open(ledgerDirectory(settings, project));
        Map<String, String> plans = streamingPlans();
        List<String> batchFirst = batchModels(plans.keySet(), true);
        List<String> batchAfter = batchModels(plans.keySet(), false);
        Map<String, ModelVerdict> byModel = context.verdicts();
        try (FlinkCluster cluster = FlinkCluster.open(settings.cluster(), settings.access(), 0, 0, hints)) {
            DeployPlanner planner = new DeployPlanner(project, cluster, home, hints);
            if (mode == DeployMode.PLAN) {
                DeployedState state = DeployedState.read(ledger);
                state.interrupted()
                        .forEach(open -> log.warn("flink-dbt: " + open.model() + ": deployment #" + open.deployment()
                                + " did not end; deploy finishes it before anything else."));
                List<ModelAction> actions = planner.plan(plans, byModel, state);
                DeployReport.plan(log, "deploy plan for " + cluster.restAddress(), state, actions);
                DeployReport.batch(log, batchFirst, batchAfter);
                refuse(actions);
                return new DeployOutcome(
                        null,
                        actions.stream()
                                .map(a -> new ModelResult(a.model(), a.action(), "PLANNED", null, null, null))
                                .toList());
            }
            DeployLock.Lease lease = acquire(ledger);
            ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "flink-dbt-lease");
                thread.setDaemon(true);
                return thread;
            });
            heartbeat.scheduleAtFixedRate(
                    () -> renew(ledger, lease), LEASE.toSeconds() / 4, LEASE.toSeconds() / 4, TimeUnit.SECONDS);
            try {
                DeploymentRun run = new DeploymentRun(context, ledger, lease, cluster);
                run.finishInterrupted(DeployedState.read(ledger));
                DeployedState state = DeployedState.read(ledger);
                if (mode == DeployMode.ROLLBACK) {
                    return rollback(run, state, cluster, ledger);
                }
                List<ModelAction> actions = planner.plan(plans, byModel, state);
                DeployReport.plan(log, "deploy plan for " + cluster.restAddress(), state, actions);
                DeployReport.batch(log, batchFirst, batchAfter);
                refuse(actions);
                runBatch(batchFirst);
                DeployOutcome outcome = run.apply(state, actions, plans, release.facts(plans));
                runBatch(batchAfter);
                recordBuilt(outcome);
                return outcome;
            } finally {
                heartbeat.shutdownNow();
                ledger.lock().release(lease);
            }
        }
    }

    /** The streaming models that run their new plan now, as {@code state:modified} compares with next time. */
    private void recordBuilt(DeployOutcome outcome) {
        DeployedPlans.recordBuilt(
                settings.home(),
                compiled.project(),
                outcome.models().stream()
                        .filter(result -> List.of("COMMITTED", "UNCHANGED").contains(result.outcome()))
                        .map(DeployOutcome.ModelResult::model)
                        .toList());
    }

    /** The models the last deployment changed, back to their previous plans; batch models are left as they are. */
    private DeployOutcome rollback(DeploymentRun run, DeployedState state, FlinkCluster cluster, Ledger ledger) {
        RollbackPlanner.Rollback rollback = new RollbackPlanner(project, cluster, home, hints)
                .plan(state, ledger, compiled.project().models().keySet());
        DeployReport.plan(
                log,
                "rollback of deployment #" + rollback.release() + " on " + cluster.restAddress(),
                state,
                rollback.actions());
        refuse(rollback.actions());
        return run.apply(state, rollback.actions(), rollback.plans(), Map.of("rollbackOf", rollback.release()));
    }

    private DeployLock.Lease acquire(Ledger ledger) {
        int timeout = settings.deploy().lockTimeoutSeconds();
        try {
            return ledger.lock().acquire(owner(), LEASE, Duration.ofSeconds(timeout));
        } catch (FlinkDbtException held) {
            throw new FlinkDbtException(
                    held.getMessage() + "\nWaited " + timeout + " s (" + hints.set(Option.LOCK_TIMEOUT, "<seconds>")
                            + " waits longer). If its holder is known to be dead: "
                            + hints.command(Command.FORCE_UNLOCK) + ". Nothing was deployed.",
                    held);
        }
    }

    private void renew(Ledger ledger, DeployLock.Lease lease) {
        try {
            ledger.lock().renew(lease, LEASE);
        } catch (RuntimeException e) {
            log.warn("flink-dbt: could not renew the deployment lock: " + FlinkDbtException.rootCause(e));
        }
    }

    private static void refuse(List<ModelAction> actions) {
        List<String> refusals = actions.stream()
                .map(ModelAction::refusal)
                .filter(r -> r != null)
                .toList();
        if (!refusals.isEmpty()) {
            throw new FlinkDbtException(String.join("\n", refusals) + "\nNothing was deployed.");
        }
    }

    /**
     * The selected batch models (seeds, tables, incrementals, views) in DAG order: those that read no
     * model of {@code streaming} ({@code upstream}), or those that do, which run once the streaming
     * jobs are deployed.
     */
    private List<String> batchModels(Set<String> streaming, boolean upstream) {
        Set<String> selected = compiled.selection().models();
        List<String> models = new ArrayList<>();
        for (String name : compiled.graph().topologicalOrder()) {
            Model model = compiled.project().model(name);
            if (model == null
                    || !selected.contains(name)
                    || !compiled.result().models().containsKey(name)
                    || model.materialization() == Materialization.STREAMING_TABLE
                    || model.materialization() == Materialization.EPHEMERAL) {
                continue;
            }
            boolean readsStreaming =
                    compiled.graph().ancestors(name, -1).stream().anyMatch(streaming::contains);
            if (readsStreaming != upstream) {
                models.add(name);
            }
        }
        return models;
    }

    /** Applies batch models on the target cluster as {@code run} does; a failure stops the deployment. */
    private void runBatch(List<String> models) {
        if (models.isEmpty()) {
            return;
        }
        CompiledProject subset = new CompiledProject(
                compiled.project(), compiled.graph(), Selection.of(Set.copyOf(models)), compiled.result());
        RunOutcome outcome =
                ProjectRunner.run(subset, settings.toBuilder().tests(false).build(), invocation, null);
        if (!outcome.failures().isEmpty()) {
            throw new FlinkDbtException(outcome.failures().stream()
                            .map(failed -> failed.name() + ": " + failed.message())
                            .collect(Collectors.joining("\n  ", "Batch models failed on the cluster:\n  ", "\n"))
                    + "The models before them in the DAG were applied; fix the models above and deploy again.");
        }
    }

    /** The selected streaming models' plans as the build compiled them, by model. */
    private Map<String, String> streamingPlans() {
        Map<String, String> plans = new TreeMap<>();
        for (String name : compiled.selection().models()) {
            PlannedModel planned = compiled.result().models().get(name);
            if (planned != null
                    && planned.plan() != null
                    && compiled.project().model(name).materialization() == Materialization.STREAMING_TABLE) {
                plans.put(name, planned.plan().json());
            }
        }
        return plans;
    }

    static String owner() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown host";
        }
        return System.getProperty("user.name") + "@" + host + " (pid "
                + ProcessHandle.current().pid() + ")";
    }
}
