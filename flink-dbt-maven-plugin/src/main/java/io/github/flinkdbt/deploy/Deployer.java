package io.github.flinkdbt.deploy;

import io.github.flinkdbt.api.Command;
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
import io.github.flinkdbt.home.SavepointHistory;
import io.github.flinkdbt.home.ledger.DeployLock;
import io.github.flinkdbt.home.ledger.Ledger;
import io.github.flinkdbt.home.ledger.LedgerRecord;
import io.github.flinkdbt.home.ledger.LedgerRecord.Kind;
import io.github.flinkdbt.planner.CompiledProject;
import io.github.flinkdbt.planner.PlannedModel;
import io.github.flinkdbt.project.Materialization;
import io.github.flinkdbt.project.Model;
import io.github.flinkdbt.run.ProjectRunner;
import io.github.flinkdbt.run.RunOutcome;
import io.github.flinkdbt.run.StreamingStarts;
import io.github.flinkdbt.state.ModelVerdict;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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

    private final CompiledProject compiled;
    private final Settings settings;
    private final Invocation invocation;
    private final BuildLog log;
    private final Hints hints;
    private final String project;
    private final FlinkDbtHome home;
    private final Consumer<String> haltPoint = ModelTransition.haltPointFromSystemProperty();

    private Deployer(CompiledProject compiled, Settings settings, Invocation invocation) {
        this.compiled = compiled;
        this.settings = settings;
        this.invocation = invocation;
        this.log = invocation.log();
        this.hints = invocation.hints();
        this.project = compiled.project().name();
        this.home = FlinkDbtHome.open(settings.home(), hints);
    }

    /**
     * Plans the deployment and, unless {@code dryRun}, applies it. Throws when a policy refuses an
     * action (nothing changed then) or when a model did not end on its new plan.
     *
     * @param verdicts the streaming models' state verdicts against what is deployed
     */
    public static DeployOutcome deploy(
            CompiledProject compiled,
            Settings settings,
            Invocation invocation,
            List<ModelVerdict> verdicts,
            boolean dryRun) {
        requireCluster(settings, invocation.hints());
        return new Deployer(compiled, settings, invocation).deploy(verdicts, dryRun);
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

    private DeployOutcome deploy(List<ModelVerdict> verdicts, boolean dryRun) {
        IcebergCatalogs.check(settings.icebergCatalog(), hints);
        Ledger ledger = Ledger.open(ledgerDirectory(settings, project));
        Map<String, String> plans = streamingPlans();
        List<String> batchFirst = batchModels(plans.keySet(), true);
        List<String> batchAfter = batchModels(plans.keySet(), false);
        Map<String, ModelVerdict> byModel =
                verdicts.stream().collect(Collectors.toMap(ModelVerdict::name, Function.identity()));
        try (FlinkCluster cluster = FlinkCluster.open(settings.cluster(), settings.access(), 0, 0, hints)) {
            DeployPlanner planner = new DeployPlanner(project, cluster, home, hints);
            if (dryRun) {
                DeployedState state = DeployedState.read(ledger);
                state.interrupted()
                        .forEach(open -> log.warn("flink-dbt: " + open.model() + ": deployment #" + open.deployment()
                                + " did not end; deploy finishes it before anything else."));
                List<ModelAction> actions = planner.plan(plans, byModel, state);
                DeployReport.plan(log, cluster.restAddress(), state, actions);
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
                Applying applying = new Applying(ledger, lease, cluster);
                applying.finishInterrupted(DeployedState.read(ledger));
                DeployedState state = DeployedState.read(ledger);
                List<ModelAction> actions = planner.plan(plans, byModel, state);
                DeployReport.plan(log, cluster.restAddress(), state, actions);
                DeployReport.batch(log, batchFirst, batchAfter);
                refuse(actions);
                runBatch(batchFirst);
                DeployOutcome outcome = applying.apply(state, actions, plans);
                runBatch(batchAfter);
                return outcome;
            } finally {
                heartbeat.shutdownNow();
                ledger.lock().release(lease);
            }
        }
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
                compiled.project(),
                compiled.graph(),
                new Selection(Set.copyOf(models), List.of(), false),
                compiled.result());
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

    private static String owner() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown host";
        }
        return System.getProperty("user.name") + "@" + host + " (pid "
                + ProcessHandle.current().pid() + ")";
    }

    /** One deployment under the lock. */
    private final class Applying {
        private final Ledger ledger;
        private final DeployLock.Lease lease;
        private final FlinkCluster cluster;
        private final HealthGate gate;
        private StreamingStarts starts;

        Applying(Ledger ledger, DeployLock.Lease lease, FlinkCluster cluster) {
            this.ledger = ledger;
            this.lease = lease;
            this.cluster = cluster;
            Settings.Deploy deploy = settings.deploy();
            this.gate = new HealthGate(
                    cluster,
                    Duration.ofSeconds(deploy.healthTimeoutSeconds()),
                    Duration.ofSeconds(deploy.healthWindowSeconds()));
        }

        /** Ends what a deployer that died left: each model's transition, then its deployment. */
        void finishInterrupted(DeployedState state) {
            for (DeployedState.Interrupted open : state.interrupted()) {
                log.info("flink-dbt: " + open.model() + ": finishing deployment #" + open.deployment()
                        + ", which did not end");
                Path stateDirectory = home.state(project, open.model());
                String plan = open.facts().containsKey("plan")
                        ? DeployedPlans.archived(stateDirectory, open.facts().get("plan"))
                        : null;
                String previous = open.facts().containsKey("previousPlan")
                        ? DeployedPlans.archived(stateDirectory, open.facts().get("previousPlan"))
                        : null;
                ModelTransition.Outcome outcome = transition(open.deployment(), open.model())
                        .resume(generation(open.model(), plan, true), generation(open.model(), previous, false));
                settle(
                        open.model(),
                        open.facts().get("action"),
                        outcome,
                        plan,
                        open.facts().containsKey("stop"));
                report(open.model(), outcome);
            }
            for (String deployment : DeployedState.read(ledger).unfinished()) {
                append(deployment, Kind.DEPLOYMENT_FINISHED, null, Map.of("outcome", "finished by a later deployer"));
            }
        }

        DeployOutcome apply(DeployedState state, List<ModelAction> actions, Map<String, String> plans) {
            List<ModelAction> changes =
                    actions.stream().filter(ModelAction::changes).toList();
            List<ModelResult> results = new ArrayList<>();
            actions.stream()
                    .filter(a -> !a.changes())
                    .forEach(a -> results.add(new ModelResult(
                            a.model(), a.action(), "UNCHANGED", String.valueOf(a.running()), null, null)));
            if (changes.isEmpty()) {
                log.info("flink-dbt: " + project + ": no streaming model to deploy; each runs its plan.");
                return new DeployOutcome(null, results);
            }
            String deployment = String.valueOf(state.deployments() + 1);
            long start = System.nanoTime();
            append(deployment, Kind.DEPLOYMENT_STARTED, null, deploymentFacts(changes, plans));
            log.info("flink-dbt: deployment #" + deployment + " of " + project + ": " + changes.size() + " model(s)");
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(changes.size(), 8));
            try {
                Map<String, Future<ModelResult>> running = new LinkedHashMap<>();
                for (ModelAction action : changes) {
                    running.put(action.model(), pool.submit(() -> applyOne(deployment, action)));
                }
                for (Map.Entry<String, Future<ModelResult>> entry : running.entrySet()) {
                    results.add(await(entry.getKey(), entry.getValue(), changes));
                }
            } finally {
                pool.shutdownNow();
            }
            DeployOutcome outcome = new DeployOutcome(deployment, results);
            String verdict = outcome.failures().isEmpty() ? "SUCCESS" : "FAILED";
            append(
                    deployment,
                    Kind.DEPLOYMENT_FINISHED,
                    null,
                    Map.of("outcome", verdict, "seconds", String.valueOf((System.nanoTime() - start) / 1_000_000_000)));
            DeployReport.finished(log, outcome, hints);
            return outcome;
        }

        private ModelResult await(String model, Future<ModelResult> future, List<ModelAction> changes) {
            try {
                return future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FlinkDbtException("Interrupted while deploying " + model, e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Error error) {
                    throw error;
                }
                DeployAction action = changes.stream()
                        .filter(a -> a.model().equals(model))
                        .findFirst()
                        .orElseThrow()
                        .action();
                return new ModelResult(
                        model,
                        action,
                        "FAILED",
                        null,
                        null,
                        FlinkDbtException.rootCause(cause) + " The ledger holds every step so far: deploy again to"
                                + " finish it.");
            }
        }

        private ModelResult applyOne(String deployment, ModelAction action) {
            String model = action.model();
            Path stateDirectory = home.state(project, model);
            long generation = Long.parseLong(deployment);
            Map<String, String> facts = new TreeMap<>();
            facts.put("action", action.action().name());
            if (action.previousPlan() != null) {
                facts.put("previousPlan", action.previousPlan());
            }
            ModelTransition transition = transition(deployment, model);
            ModelTransition.Outcome outcome;
            String savepoints = home.savepoints(project, model).toUri().toString();
            if (action.action() == DeployAction.DROP) {
                if (action.running() == null) {
                    append(deployment, Kind.INTENT, model, Map.of("action", "DROP", "drop", "true"));
                    append(deployment, Kind.COMMITTED, model, Map.of());
                    return new ModelResult(model, action.action(), "COMMITTED", null, null, null);
                }
                outcome = transition.drop(action.running(), generation, savepoints, facts);
            } else {
                facts.put("plan", DeployedPlans.archive(stateDirectory, action.plan()));
                String previous = previousPlan(stateDirectory, action.previousPlan());
                if (action.running() != null) {
                    if (action.action() == DeployAction.START_EMPTY) {
                        facts.put("empty", "true");
                    }
                    outcome = transition.upgrade(
                            action.running(),
                            generation,
                            savepoints,
                            generation(model, action.plan(), true),
                            generation(model, previous, false),
                            facts);
                } else {
                    outcome = transition.start(
                            generation, action.restoreFrom(), generation(model, action.plan(), true), facts);
                }
            }
            settle(model, action.action().name(), outcome, action.plan(), action.running() != null);
            return report(model, outcome, action.action());
        }

        /** The plan a model runs now, archived so a rollback can start it again; null when unknown. */
        private String previousPlan(Path stateDirectory, String checksum) {
            if (checksum == null) {
                return null;
            }
            try {
                return DeployedPlans.archived(stateDirectory, checksum);
            } catch (FlinkDbtException notArchived) {
                // a plan run started (not a deployment): the home's record of it
                return DeployedPlans.last(stateDirectory)
                        .filter(plan -> DeployedPlans.checksum(plan).equals(checksum))
                        .map(plan -> {
                            DeployedPlans.archive(stateDirectory, plan);
                            return plan;
                        })
                        .orElse(null);
            }
        }

        /** What the home keeps beside the ledger, for run and the state check: the plan and the last savepoint. */
        private void settle(
                String model, String action, ModelTransition.Outcome outcome, String plan, boolean stopped) {
            Path stateDirectory = home.state(project, model);
            if (outcome.upgraded() && !"DROP".equals(action) && plan != null) {
                DeployedPlans.record(stateDirectory, plan);
            }
            if (stopped && outcome.savepoint() != null) {
                SavepointHistory.remember(stateDirectory, outcome.savepoint());
                retain(model);
            }
        }

        /**
         * Disposes of the model's savepoints beyond the newest {@code savepointsToKeep} (through the
         * cluster, which knows how to delete a savepoint wherever it lies), each recorded as disposed
         * only once it is gone. One that cannot be disposed of is kept, and tried again next time.
         */
        private void retain(String model) {
            List<LedgerRecord> records = ledger.read().records();
            List<String> taken = new ArrayList<>();
            for (LedgerRecord record : records) {
                if (model.equals(record.model()) && record.facts().containsKey("savepoint")) {
                    String savepoint = record.facts().get("savepoint");
                    if (record.kind() == Kind.SAVEPOINT_DISPOSED) {
                        taken.remove(savepoint);
                    } else if (record.kind() == Kind.SAVEPOINT_TAKEN && !taken.contains(savepoint)) {
                        taken.add(savepoint);
                    }
                }
            }
            int keep = Math.max(1, settings.deploy().savepointsToKeep());
            for (String old : taken.subList(0, Math.max(0, taken.size() - keep))) {
                try {
                    cluster.disposeSavepoint(old);
                } catch (FlinkDbtException e) {
                    log.warn("flink-dbt: " + model + ": could not dispose of the savepoint " + old + " ("
                            + FlinkDbtException.rootCause(e) + "); it is kept and disposed of next time.");
                    continue;
                }
                ledger.append(
                        LedgerRecord.of(
                                records.get(records.size() - 1).deployment(),
                                Kind.SAVEPOINT_DISPOSED,
                                model,
                                Map.of("savepoint", old)),
                        lease);
                log.info("flink-dbt: " + model + ": disposed of the savepoint " + old + " (keeping " + keep + ")");
            }
        }

        private ModelResult report(String model, ModelTransition.Outcome outcome, DeployAction action) {
            String status = outcome.upgraded() ? "COMMITTED" : outcome.rolledBack() ? "ROLLED_BACK" : "FAILED";
            return new ModelResult(
                    model,
                    action,
                    status,
                    outcome.job() == null ? null : outcome.job().toString(),
                    outcome.savepoint(),
                    outcome.cause());
        }

        private void report(String model, ModelTransition.Outcome outcome) {
            log.info("flink-dbt: " + model + ": "
                    + (outcome.upgraded()
                            ? "finished"
                            : (outcome.rolledBack() ? "rolled back (" : "failed (") + outcome.cause() + ")"));
        }

        private ModelTransition transition(String deployment, String model) {
            return new ModelTransition(
                    ledger, lease, cluster, gate, deployment, model, line -> log.info("flink-dbt: " + line), haltPoint);
        }

        /** Starts {@code plan} as the model's job; null when there is no plan to start. */
        private ModelTransition.Generation generation(String model, String plan, boolean createTable) {
            if (plan == null) {
                return null;
            }
            return (job, restoreFrom) -> starts().start(model, plan, job, restoreFrom, createTable);
        }

        private synchronized StreamingStarts starts() {
            if (starts == null) {
                starts = StreamingStarts.open(compiled, settings, invocation, cluster, home);
            }
            return starts;
        }

        private Map<String, String> deploymentFacts(List<ModelAction> changes, Map<String, String> plans) {
            Map<String, String> facts = new TreeMap<>();
            facts.put("who", owner());
            URI cluster = settings.cluster();
            facts.put("cluster", cluster.getScheme() + "://" + cluster.getHost() + ":" + cluster.getPort());
            GitCommit.of(settings.compile().basedir()).ifPresent(commit -> facts.put("gitCommit", commit));
            for (ModelAction change : changes) {
                facts.put("action." + change.model(), change.action().name());
            }
            plans.forEach((model, plan) -> facts.put("plan." + model, DeployedPlans.checksum(plan)));
            return facts;
        }

        private void append(String deployment, Kind kind, String model, Map<String, String> facts) {
            haltPoint.accept("before:" + kind);
            ledger.append(LedgerRecord.of(deployment, kind, model, facts), lease);
        }
    }
}
