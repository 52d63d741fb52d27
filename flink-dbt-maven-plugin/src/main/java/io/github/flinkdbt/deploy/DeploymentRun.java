package io.github.flinkdbt.deploy;

import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.cluster.FlinkCluster;
import io.github.flinkdbt.common.BuildLog;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.deploy.DeployOutcome.ModelResult;
import io.github.flinkdbt.home.DeployedPlans;
import io.github.flinkdbt.home.FlinkDbtHome;
import io.github.flinkdbt.home.SavepointHistory;
import io.github.flinkdbt.home.ledger.DeployLock;
import io.github.flinkdbt.home.ledger.Ledger;
import io.github.flinkdbt.home.ledger.LedgerRecord;
import io.github.flinkdbt.home.ledger.LedgerRecord.Kind;
import io.github.flinkdbt.planner.PlannedModel;
import io.github.flinkdbt.run.StreamingStarts;
import io.github.flinkdbt.state.ModelVerdict;
import io.github.flinkdbt.state.OperatorCheck;
import java.net.URI;
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
import java.util.function.Consumer;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.fs.Path;

/**
 * One deployment under the ledger's lock: first what a deployer that died left half done, then
 * the changes side by side, each a journaled, health-gated {@link ModelTransition}, then what the
 * home keeps beside the ledger (plans, last savepoints) and the savepoints retention lets go.
 */
final class DeploymentRun {

    /** How many models one deployment changes at once; more wait for a free place. */
    private static final int MAX_SIDE_BY_SIDE = 64;

    private final Deployer.Context context;
    private final String project;
    private final FlinkDbtHome home;
    private final BuildLog log;
    private final Ledger ledger;
    private final DeployLock.Lease lease;
    private final FlinkCluster cluster;
    private final HealthGate gate;
    private final Consumer<String> haltPoint = ModelTransition.haltPointFromSystemProperty();
    private StreamingStarts starts;

    DeploymentRun(Deployer.Context context, Ledger ledger, DeployLock.Lease lease, FlinkCluster cluster) {
        this.context = context;
        this.project = context.project();
        this.home = context.home();
        this.log = context.invocation().log();
        this.ledger = ledger;
        this.lease = lease;
        this.cluster = cluster;
        Settings.Deploy deploy = context.settings().deploy();
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

    /**
     * Applies the actions that change something, side by side, as deployment {@code state.deployments() + 1}.
     *
     * @param plans the plans the deployment takes the models to, by model (recorded by checksum)
     * @param facts what the deployment's record holds besides (e.g. which deployment it rolls back)
     */
    DeployOutcome apply(
            DeployedState state, List<ModelAction> actions, Map<String, String> plans, Map<String, String> facts) {
        List<ModelAction> changes =
                actions.stream().filter(ModelAction::changes).toList();
        List<ModelResult> results = new ArrayList<>();
        actions.stream()
                .filter(a -> !a.changes())
                .forEach(a -> results.add(
                        new ModelResult(a.model(), a.action(), "UNCHANGED", String.valueOf(a.running()), null, null)));
        if (changes.isEmpty()) {
            log.info("flink-dbt: " + project + ": no streaming model to deploy; each runs its plan.");
            return new DeployOutcome(null, results);
        }
        String deployment = String.valueOf(state.deployments() + 1);
        long start = System.nanoTime();
        Map<String, String> started = deploymentFacts(changes, plans);
        started.putAll(facts);
        append(deployment, Kind.DEPLOYMENT_STARTED, null, started);
        log.info("flink-dbt: deployment #" + deployment + " of " + project + ": " + changes.size() + " model(s)");
        // a thread per model: they wait on the cluster, and a model waiting for a thread would wait out another's
        // whole transition (its health gate included)
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(changes.size(), MAX_SIDE_BY_SIDE));
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
        DeployReport.finished(log, outcome, context.invocation().hints());
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
                    cause instanceof ModelTransition.Stopped
                            ? cause.getMessage()
                            : (cause instanceof FlinkDbtException
                                            ? cause.getMessage()
                                            : FlinkDbtException.rootCause(cause))
                                    + " The ledger holds every step so far: deploy again to finish it.");
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
                Map<String, String> intent = new TreeMap<>(facts);
                intent.put("drop", "true");
                append(deployment, Kind.INTENT, model, intent);
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
                if (action.restoreFrom() != null) {
                    facts.put("restoreFrom", action.restoreFrom());
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
    private void settle(String model, String action, ModelTransition.Outcome outcome, String plan, boolean stopped) {
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
     * only once it is gone; never one a rollback of the last deployment restores, nor the home's last
     * savepoint. One that cannot be disposed of is kept, and tried again next time.
     */
    private void retain(String model) {
        List<LedgerRecord> records = ledger.read().records();
        Set<String> needed = RollbackPlanner.needed(DeployedState.fold(records));
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
        int keep = Math.max(1, context.settings().deploy().savepointsToKeep());
        List<String> older = new ArrayList<>(taken.subList(0, Math.max(0, taken.size() - keep)));
        older.removeAll(needed); // a rollback of the last deployment restores these
        // the state check and run read the home's last savepoint (after a rollback, the one its job restored)
        SavepointHistory.recorded(home.state(project, model)).ifPresent(older::remove);
        for (String old : older) {
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
                outcome.cause(),
                outcome.replays()
                        ? DeployReport.sink(context.compiled().project().model(model))
                        : null);
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
        return new ModelTransition.Generation() {
            private StreamingStarts.Prepared prepared;

            @Override
            public void prepare() {
                if (prepared == null) {
                    prepared = starts().prepare(model, plan, createTable);
                }
            }

            @Override
            public void submit(JobID job, String restoreFrom) {
                prepare();
                starts().start(prepared, job, restoreFrom);
            }

            @Override
            public String restores() {
                // the verdict is of this build's plan: not of another (a previous plan, an interrupted deployment's)
                PlannedModel built = context.compiled().result().models().get(model);
                ModelVerdict verdict = context.verdicts().get(model);
                if (verdict == null
                        || built == null
                        || built.plan() == null
                        || !built.plan().json().equals(plan)) {
                    return "";
                }
                // the plan's operators (one only a savepoint knows has no type): which take over their state
                List<OperatorCheck> operators = verdict.operators().stream()
                        .filter(operator -> !operator.type().isEmpty())
                        .toList();
                long restoring = operators.stream()
                        .filter(operator -> operator.outcome().equals(OperatorCheck.RESTORES))
                        .count();
                return operators.isEmpty() ? "" : restoring + "/" + operators.size() + " stateful operators restore";
            }
        };
    }

    private synchronized StreamingStarts starts() {
        if (starts == null) {
            starts = StreamingStarts.open(context.compiled(), context.settings(), context.invocation(), cluster, home);
        }
        return starts;
    }

    private Map<String, String> deploymentFacts(List<ModelAction> changes, Map<String, String> plans) {
        Map<String, String> facts = new TreeMap<>();
        facts.put("who", Deployer.owner());
        URI cluster = context.settings().cluster();
        facts.put("cluster", cluster.getScheme() + "://" + cluster.getHost() + ":" + cluster.getPort());
        if (context.settings().deploy().bundle() == null) {
            // a released bundle is not the working tree
            GitCommit.of(context.settings().compile().basedir()).ifPresent(commit -> facts.put("gitCommit", commit));
        }
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
