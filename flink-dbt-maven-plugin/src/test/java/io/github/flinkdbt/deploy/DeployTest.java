package io.github.flinkdbt.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.api.DeployMode;
import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.RemoteAccess;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.cluster.FlinkCluster;
import io.github.flinkdbt.cluster.standalone.SharedCluster;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.deploy.DeployOutcome.ModelResult;
import io.github.flinkdbt.home.FlinkDbtHome;
import io.github.flinkdbt.home.ledger.DeployLock;
import io.github.flinkdbt.home.ledger.Ledger;
import io.github.flinkdbt.home.ledger.LedgerRecord;
import io.github.flinkdbt.home.ledger.LedgerRecord.Kind;
import io.github.flinkdbt.planner.ProjectPlanner;
import io.github.flinkdbt.report.Bundle;
import io.github.flinkdbt.state.ModelVerdict;
import io.github.flinkdbt.state.OperatorCheck;
import io.github.flinkdbt.state.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plan}, {@code deploy} and {@code rollback} of a two-model project on the standalone
 * cluster, one deployment after the other as a team would: create, nothing to do, a compatible
 * change upgraded through a savepoint beside a job cancelled by hand restored, a removed model
 * dropped, an incompatible change refused, a savepoint that cannot be written, the lock held, an
 * upgrade rolled back and forward again. After each, the counter model's count equals the highest
 * event id it saw: no event lost, none counted twice. A deployer killed mid-upgrade and a new plan
 * failing at run time are proven end to end, with exact counts, in {@link KafkaDeployTest}.
 */
@ExtendWith(SharedCluster.Resolver.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeployTest {

    private static final String COUNT_SQL = """
            {{ config(materialized='streaming_table', unique_key='k') }}
            select 'all' as k, count(*) as cnt, max(id) as max_id from {{ source('gen', 'ticks') }} %s group by 'all'
            """;

    @TempDir
    static Path dir;

    private static SharedCluster shared;
    private static FlinkCluster cluster;
    /** The counter through a project function (failing its task as it closes while a marker file exists). */
    private static final String COUNT_THROUGH_FUNCTION_SQL = """
            {{ config(materialized='streaming_table', unique_key='k') }}
            select k, cnt, %s as max_id from (
              select 'all' as k, count(*) as cnt, max(id) as max_id from {{ source('gen', 'ticks') }}
              where fails_when_stopped(id, '%s') > %d group by 'all')
            """;

    private static Path project;
    private static Path functions;
    private static Path marker;

    @BeforeAll
    static void project(SharedCluster sharedCluster) {
        shared = sharedCluster;
        cluster = FlinkCluster.open(shared.restUrl(), RemoteAccess.NONE, 0, 0, Hints.plain());
        project = TestProjects.counter(dir.resolve("counts"), 20, 20_000);
        functions = functionClasses(dir.resolve("functions"), FailsWhenStopped.class);
        marker = dir.resolve("fail-when-stopped");
        TestProjects.write(project, "src/main/sql/functions.yml", """
                version: 2
                functions:
                  - name: fails_when_stopped
                    class: %s
                """.formatted(FailsWhenStopped.class.getName()));
        TestProjects.write(project, "src/main/sql/tick_count.sql", COUNT_SQL.formatted(""));
        TestProjects.write(project, "src/main/sql/tick_max.sql", """
                {{ config(materialized='streaming_table', unique_key='k') }}
                select 'max' as k, max(id) as top from {{ source('gen', 'ticks') }} group by 'max'
                """);
    }

    @AfterAll
    static void cancelJobs() throws InterruptedException {
        TestPipelines.cancelAll(cluster, "flink-dbt:counts:");
        cluster.close();
    }

    @Test
    @Order(1)
    void theEmbeddedClusterIsRefusedWithTheWayToACluster() {
        assertThatThrownBy(() -> FlinkDbt.deploy(
                        settings().cluster(null).build(),
                        invocation(new ArrayList<>()).build(),
                        DeployMode.DEPLOY))
                .isInstanceOf(FlinkDbtException.class)
                .hasMessageContaining("the embedded cluster ends with the build")
                .hasMessageContaining("mvn flink-dbt:start-cluster");
    }

    @Test
    @Order(2)
    void aPlanChangesNothingThenTheDeploymentCreatesBothModelsAndASecondHasNothingToDo() {
        List<String> log = log();
        DeployOutcome planned =
                FlinkDbt.deploy(settings().build(), invocation(log).build(), DeployMode.PLAN);
        assertThat(actions(planned))
                .containsEntry("tick_count", "CREATE PLANNED")
                .containsEntry("tick_max", "CREATE PLANNED");
        assertThat(String.join("\n", log))
                .contains("deploy plan for")
                .contains("+ tick_count")
                .contains("Plan: 2 create.");
        assertThat(cluster.jobs("flink-dbt:counts:")).isEmpty();

        DeployOutcome created =
                FlinkDbt.deploy(settings().build(), invocation(log()).build(), DeployMode.DEPLOY);
        assertThat(created.deployment()).isEqualTo("1");
        assertThat(actions(created))
                .containsEntry("tick_count", "CREATE COMMITTED")
                .containsEntry("tick_max", "CREATE COMMITTED");
        for (ModelResult model : created.models()) {
            assertThat(cluster.job(JobID.fromHexString(model.job())).status()).isEqualTo(JobStatus.RUNNING);
        }

        DeployOutcome again =
                FlinkDbt.deploy(settings().build(), invocation(log()).build(), DeployMode.DEPLOY);
        assertThat(again.deployment()).isNull();
        assertThat(actions(again))
                .containsEntry("tick_count", "NOOP UNCHANGED")
                .containsEntry("tick_max", "NOOP UNCHANGED");
        assertThat(ledger().stream().filter(r -> r.kind() == Kind.DEPLOYMENT_STARTED))
                .hasSize(1);
    }

    @Test
    @Order(3)
    void aCompatibleChangeIsUpgradedThroughASavepointWhileAJobCancelledByHandIsRestoredBesideIt() throws Exception {
        awaitCommittedCount();
        JobID cancelled = currentJob("tick_max");
        cluster.cancel(cancelled);
        awaitEnded(cancelled);
        TestProjects.write(project, "src/main/sql/tick_count.sql", COUNT_SQL.formatted("where id > 0"));
        List<String> log = log();
        DeployOutcome deployed =
                FlinkDbt.deploy(settings().build(), invocation(log).build(), DeployMode.DEPLOY);

        assertThat(actions(deployed))
                .containsEntry("tick_count", "UPGRADE COMMITTED")
                .containsEntry("tick_max", "RESTORE COMMITTED");
        ModelResult tickCount = result(deployed, "tick_count");
        assertThat(tickCount.savepoint()).isNotNull();
        assertThat(HealthGate.samePlace(
                        cluster.checkpoints(JobID.fromHexString(tickCount.job()))
                                .restored()
                                .orElseThrow()
                                .externalPath(),
                        tickCount.savepoint()))
                .isTrue();
        // the vanished job's state came back from its retained checkpoint
        assertThat(cluster.checkpoints(
                                JobID.fromHexString(result(deployed, "tick_max").job()))
                        .restored())
                .isPresent();
        assertThat(String.join("\n", log))
                .contains("~ tick_count")
                .contains("^ tick_max")
                .contains("is gone; restores")
                .containsPattern("tick_count: savepoint [0-9.]+ (B|KiB|MiB) in [0-9.]+ s -> ")
                .containsPattern("tick_count: submitted job [0-9a-f]{32}, restoring \\S+ \\((\\d+)/\\1 stateful"
                        + " operators restore\\)");
        assertCountIsExact(awaitCommittedCount());
    }

    @Test
    @Order(6)
    void aRemovedModelIsDroppedWithAFinalSavepoint() throws Exception {
        JobID running = currentJob("tick_max");
        Files.delete(project.resolve("src/main/sql/tick_max.sql"));
        DeployOutcome dropped =
                FlinkDbt.deploy(settings().build(), invocation(log()).build(), DeployMode.DEPLOY);

        assertThat(actions(dropped)).containsEntry("tick_max", "DROP COMMITTED");
        assertThat(result(dropped, "tick_max").savepoint()).isNotNull();
        awaitEnded(running);
        assertThat(cluster.job(running).status()).isEqualTo(JobStatus.FINISHED);
        assertThat(DeployedState.read(ledgerOf()).models()).containsOnlyKeys("tick_count");
        // taking the drop back needs the model's definition: refused, nothing changed, while its file is gone
        int records = ledger().size();
        assertThatThrownBy(() ->
                        FlinkDbt.deploy(settings().build(), invocation(log()).build(), DeployMode.ROLLBACK))
                .hasMessageContaining("tick_max: #" + dropped.deployment() + " dropped it")
                .hasMessageContaining("Put its SQL file back")
                .hasMessageContaining("Nothing was deployed.");
        assertThat(ledger()).hasSize(records);
    }

    @Test
    @Order(7)
    void aChangeThatLosesStateUnderPolicyFailIsRefusedAndNothingChanges() {
        JobID running = currentJob("tick_count");
        int records = ledger().size();
        TestProjects.write(project, "src/main/sql/tick_count.sql", """
                {{ config(materialized='streaming_table', unique_key='k') }}
                select cast(id % 2 as string) as k, count(*) as cnt, max(id) as max_id
                from {{ source('gen', 'ticks') }} group by cast(id % 2 as string)
                """);
        assertThatThrownBy(() ->
                        FlinkDbt.deploy(settings().build(), invocation(log()).build(), DeployMode.DEPLOY))
                .hasMessageContaining("tick_count cannot keep its state (policy: fail)")
                .hasMessageContaining("on_state_incompatible='reprocess'");
        assertThat(ledger()).hasSize(records);
        assertThat(cluster.job(running).status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    @Order(9)
    void aSavepointThatCannotBeWrittenLeavesTheJobRunningOnItsPlan() throws Exception {
        JobID before = currentJob("tick_count");
        Path state = dir.resolve("home/state/counts/tick_count");
        Path savepoints = state.resolve("savepoints");
        Path aside = state.resolve("savepoints.aside");
        Path last = state.resolve("last-savepoint");
        String lastSavepoint = Files.readString(last);
        TestProjects.write(project, "src/main/sql/tick_count.sql", COUNT_SQL.formatted("where id > -2"));
        // a file where the savepoint directory should be: no savepoint can be written there, whoever runs the
        // tasks (root too); the earlier savepoints stay readable elsewhere, as the state check reads the last
        Files.move(savepoints, aside);
        Files.writeString(savepoints, "not a directory");
        Files.writeString(last, lastSavepoint.replace("/savepoints/", "/savepoints.aside/"));
        try {
            assertThatThrownBy(() -> FlinkDbt.deploy(
                            settings().build(), invocation(log()).build(), DeployMode.DEPLOY))
                    .hasMessageContaining("tick_count: failed")
                    .hasMessageContaining("stopping job " + before + " with a savepoint failed")
                    .hasMessageContaining("The job keeps running on its old plan; nothing changed.");
        } finally {
            Files.delete(savepoints);
            Files.move(aside, savepoints);
            Files.writeString(last, lastSavepoint);
        }
        assertThat(cluster.job(before).status()).isEqualTo(JobStatus.RUNNING);
        assertThat(currentJob("tick_count")).isEqualTo(before);
        TestProjects.write(project, "src/main/sql/tick_count.sql", COUNT_SQL.formatted("where id > -1"));
    }

    @Test
    @Order(10)
    void statusAndHistoryTellWhatRunsAndWhatEachDeploymentDid() {
        List<String> status =
                FlinkDbt.deployStatus(settings().build(), invocation(log()).build());
        assertThat(status).anyMatch(line -> line.contains("last deployment #4"));
        assertThat(status)
                .filteredOn(line -> line.trim().startsWith("tick_count"))
                .singleElement()
                .asString()
                .contains("RUNNING")
                .contains("job " + currentJob("tick_count"))
                .contains("since #2");
        assertThat(status).noneMatch(line -> line.contains("tick_max"));

        List<String> history =
                FlinkDbt.deployHistory(settings().build(), invocation(log()).build());
        assertThat(String.join("\n", history))
                .contains("4 deployment(s)")
                .contains("CREATE committed, tick_max CREATE committed")
                .contains("tick_count UPGRADE committed")
                .contains("tick_max RESTORE committed")
                .contains("tick_max DROP committed")
                .contains("tick_count UPGRADE failed");
        assertThat(history).noneMatch(line -> line.contains("UNFINISHED"));
    }

    @Test
    @Order(11)
    void aSecondDeployWaitsForTheLockThenNamesItsHolder() {
        DeployLock lock = ledgerOf().lock();
        DeployLock.Lease other = lock.acquire("alice@ci (pid 42)", Duration.ofMinutes(5), Duration.ZERO);
        try {
            long start = System.nanoTime();
            assertThatThrownBy(() -> FlinkDbt.deploy(
                            settings()
                                    .deploy(new Settings.Deploy(null, 2, 90, 1, 1))
                                    .build(),
                            invocation(log()).build(),
                            DeployMode.DEPLOY))
                    .hasMessageContaining("Another deploy holds the deployment lock")
                    .hasMessageContaining("alice@ci (pid 42) since")
                    .hasMessageContaining("Waited 2 s (-Dflink-dbt.lockTimeout=<seconds> waits longer)")
                    .hasMessageContaining("mvn flink-dbt:force-unlock")
                    .hasMessageContaining("Nothing was deployed.");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        } finally {
            lock.release(other);
        }
    }

    @Test
    @Order(12)
    void aRollbackTakesTheLastUpgradeBackFromItsSavepointAndASecondTakesTheRollbackBack() throws Exception {
        TestProjects.write(project, "src/main/sql/tick_count.sql", COUNT_SQL.formatted("where id > -3"));
        DeployOutcome upgraded =
                FlinkDbt.deploy(settings().build(), invocation(log()).build(), DeployMode.DEPLOY);
        assertThat(actions(upgraded)).containsEntry("tick_count", "UPGRADE COMMITTED");
        String upgradeSavepoint = result(upgraded, "tick_count").savepoint();
        String newPlan =
                DeployedState.read(ledgerOf()).models().get("tick_count").plan();
        assertCountIsExact(awaitCommittedCount());

        List<String> log = log();
        DeployOutcome back = FlinkDbt.deploy(settings().build(), invocation(log).build(), DeployMode.ROLLBACK);
        assertThat(String.join("\n", log))
                .contains("rollback of deployment #" + upgraded.deployment())
                .contains("~ tick_count")
                .contains("output since then is written again");
        assertThat(actions(back)).containsOnly(Map.entry("tick_count", "UPGRADE COMMITTED"));
        DeployedState.DeployedModel now =
                DeployedState.read(ledgerOf()).models().get("tick_count");
        // the plan before the upgrade runs again, restored from the savepoint the upgrade took of it
        assertThat(now.plan()).isNotEqualTo(newPlan);
        assertThat(now.savepoint()).isEqualTo(upgradeSavepoint);
        assertThat(HealthGate.samePlace(
                        cluster.checkpoints(now.job()).restored().orElseThrow().externalPath(), upgradeSavepoint))
                .isTrue();
        // the events since that savepoint are counted again from its state: each once
        assertCountIsExact(awaitCommittedCount());
        // the job it stopped left a savepoint of its own, which the next rollback (forward) restores
        String stopped = ledger().stream()
                .filter(r -> r.deployment().equals(back.deployment()) && r.kind() == Kind.SAVEPOINT_TAKEN)
                .map(r -> r.facts().get("savepoint"))
                .findFirst()
                .orElseThrow();
        assertThat(FlinkDbt.deployHistory(settings().build(), invocation(log()).build()))
                .anyMatch(line -> line.contains("rollback of #" + upgraded.deployment()));

        DeployOutcome forward =
                FlinkDbt.deploy(settings().build(), invocation(log()).build(), DeployMode.ROLLBACK);
        assertThat(actions(forward)).containsOnly(Map.entry("tick_count", "UPGRADE COMMITTED"));
        now = DeployedState.read(ledgerOf()).models().get("tick_count");
        assertThat(now.plan()).isEqualTo(newPlan);
        assertThat(now.savepoint()).isEqualTo(stopped);
        assertCountIsExact(awaitCommittedCount());
        // the project's plan runs: nothing to deploy
        assertThat(actions(FlinkDbt.deploy(settings().build(), invocation(log()).build(), DeployMode.PLAN)))
                .containsEntry("tick_count", "NOOP PLANNED");
    }

    @Test
    @Order(13)
    void aReleasedBundleIsDeployedAsBuiltNotTheWorkingTreeAndTheSameProjectBundlesToTheSameBytes() throws Exception {
        TestProjects.write(project, "src/main/sql/tick_count.sql", COUNT_SQL.formatted("where id > -4"));
        Path released = dir.resolve("counts-1.0.jar");
        LocalDateTime timestamp = LocalDateTime.of(2026, 12, 1, 0, 0);
        FlinkDbt.bundle(settings().build(), invocation(log()).build(), null, released, timestamp);
        // the same project in another checkout bundles to the same bytes
        Path checkout = dir.resolve("checkout");
        try (Stream<Path> files = Files.walk(project.resolve("src"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                TestProjects.write(checkout, project.relativize(file).toString(), Files.readString(file));
            }
        }
        Path again = dir.resolve("counts-1.0-again.jar");
        FlinkDbt.bundle(settingsOf(checkout).build(), invocation(log()).build(), null, again, timestamp);
        assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(released));

        // the working tree moves on; the release is what gets deployed
        TestProjects.write(project, "src/main/sql/tick_count.sql", COUNT_SQL.formatted("where id > -5"));
        Settings.Bundle bundle = new Settings.Bundle("it.test:counts:1.0", released, List.of());
        List<String> log = log();
        DeployOutcome deployed = FlinkDbt.deploy(
                settings()
                        .deploy(new Settings.Deploy(null, 60, 90, 1, 1, bundle))
                        .build(),
                invocation(log).build(),
                DeployMode.DEPLOY);
        assertThat(String.join("\n", log)).contains("deploying the bundle it.test:counts:1.0");
        assertThat(actions(deployed)).containsOnly(Map.entry("tick_count", "UPGRADE COMMITTED"));
        assertCountIsExact(awaitCommittedCount());
        Map<String, String> facts = ledger().stream()
                .filter(r -> r.deployment().equals(deployed.deployment()) && r.kind() == Kind.DEPLOYMENT_STARTED)
                .findFirst()
                .orElseThrow()
                .facts();
        assertThat(facts)
                .containsEntry("bundle", "it.test:counts:1.0")
                .containsKeys("built.tick_count", "plan.tick_count")
                .doesNotContainKey("gitCommit");
        assertThat(facts.get("plan.tick_count"))
                .isEqualTo(DeployedState.read(ledgerOf())
                        .models()
                        .get("tick_count")
                        .plan());
        assertThat(FlinkDbt.deployHistory(settings().build(), invocation(log()).build()))
                .anyMatch(line -> line.contains("bundle it.test:counts:1.0"));
        // the working tree's change is still to be deployed; the release again is nothing to do
        assertThat(actions(FlinkDbt.deploy(settings().build(), invocation(log()).build(), DeployMode.PLAN)))
                .containsEntry("tick_count", "UPGRADE PLANNED");
        assertThat(actions(FlinkDbt.deploy(
                        settings()
                                .deploy(new Settings.Deploy(null, 60, 90, 1, 1, bundle))
                                .build(),
                        invocation(log()).build(),
                        DeployMode.PLAN)))
                .containsEntry("tick_count", "NOOP PLANNED");
    }

    @Test
    @Order(14)
    void aJarThatIsNoDeployableBundleIsRefusedBeforeAnythingChanges() throws Exception {
        Path baselineOnly = dir.resolve("baseline-only.jar");
        Bundle.write(
                project.resolve("target/flink-dbt"),
                null,
                null,
                baselineOnly,
                LocalDateTime.of(2026, 12, 1, 0, 0),
                ProjectPlanner.flinkVersion(),
                Hints.plain());
        int records = ledger().size();
        assertThatThrownBy(() -> FlinkDbt.deploy(
                        settings()
                                .deploy(new Settings.Deploy(
                                        null,
                                        60,
                                        90,
                                        1,
                                        1,
                                        new Settings.Bundle("old:counts:0.9", baselineOnly, List.of())))
                                .build(),
                        invocation(log()).build(),
                        DeployMode.DEPLOY))
                .isInstanceOf(FlinkDbtException.class)
                .hasMessageContaining("Cannot deploy old:counts:0.9")
                .hasMessageContaining("written by an earlier version of the plugin");
        assertThat(ledger()).hasSize(records);
    }

    @Test
    @Order(15)
    void aJobManagerThatStopsAnsweringMidUpgradeIsWaitedForThenLeftToTheNextDeployWhichFinishes() throws Exception {
        ProcessHandle jobManager = ProcessHandle.of(shared.status().processes().stream()
                        .filter(p -> p.name().equals("jobmanager"))
                        .findFirst()
                        .orElseThrow()
                        .pid())
                .orElseThrow();
        try {
            // a stall shorter than the deployer's patience: its calls are asked again, the upgrade goes through
            System.setProperty("flink-dbt.test.restPatienceSeconds", "6");
            TestProjects.write(project, "src/main/sql/tick_count.sql", COUNT_SQL.formatted("where id > -6"));
            DeployOutcome stalled = deployFreezingTheJobManagerAtTheStop(jobManager, 4_000);
            assertThat(actions(stalled)).containsOnly(Map.entry("tick_count", "UPGRADE COMMITTED"));
            assertCountIsExact(awaitCommittedCount());

            // a silence longer than its patience: the deploy stops where it is, deciding nothing
            System.setProperty("flink-dbt.test.restPatienceSeconds", "2");
            TestProjects.write(project, "src/main/sql/tick_count.sql", COUNT_SQL.formatted("where id > -7"));
            assertThatThrownBy(() -> deployFreezingTheJobManagerAtTheStop(jobManager, 0))
                    .isInstanceOf(FlinkDbtException.class)
                    .hasMessageContaining("did not answer when asked to")
                    .hasMessageContaining("Nothing was decided")
                    .hasMessageContaining("When the cluster answers again, deploy again");
            assertThat(DeployedState.read(ledgerOf()).interrupted())
                    .singleElement()
                    .extracting(DeployedState.Interrupted::model)
                    .isEqualTo("tick_count");
        } finally {
            signal(jobManager, "CONT");
            System.clearProperty("flink-dbt.test.restPatienceSeconds");
        }
        // the cluster answers again: the next deploy finishes the upgrade from the ledger, nothing lost
        List<String> log = log();
        DeployOutcome finished =
                FlinkDbt.deploy(settings().build(), invocation(log).build(), DeployMode.DEPLOY);
        assertThat(String.join("\n", log)).contains("tick_count: finishing deployment #");
        assertThat(DeployedState.read(ledgerOf()).interrupted()).isEmpty();
        assertThat(finished.failures()).isEmpty();
        assertThat(actions(FlinkDbt.deploy(settings().build(), invocation(log()).build(), DeployMode.PLAN)))
                .containsEntry("tick_count", "NOOP PLANNED");
        assertThat(cluster.jobs("flink-dbt:counts:tick_count").stream()
                        .filter(job -> !job.status().isGloballyTerminalState()))
                .hasSize(1);
        assertCountIsExact(awaitCommittedCount());
    }

    @Test
    @Order(16)
    void aChangeOfStatelessOperatorsOnlyIsARestartAndAnyOtherAnUpgrade() {
        // the live job, the ledger and the home as they are; the verdicts as the state check gives them
        DeployPlanner planner = new DeployPlanner(
                "counts", cluster, FlinkDbtHome.open(dir.resolve("home").toUri(), Hints.plain()), Hints.plain());
        DeployedState state = DeployedState.read(ledgerOf());
        Map<String, String> changedPlan = Map.of("tick_count", "{\"changed\": true}");
        ModelVerdict stateless = new ModelVerdict(
                "tick_count",
                Verdict.STATELESS_CHANGE,
                List.of("projection changed after the group-aggregate"),
                List.of(),
                "fail",
                "src/main/sql/tick_count.sql");
        assertThat(planner.plan(changedPlan, Map.of("tick_count", stateless), state))
                .filteredOn(action -> action.model().equals("tick_count"))
                .singleElement()
                .satisfies(action -> {
                    assertThat(action.action()).isEqualTo(DeployAction.RESTART);
                    assertThat(action.detail()).isEqualTo("stop with savepoint, restore (stateless change)");
                    assertThat(action.running()).isEqualTo(currentJob("tick_count"));
                });
        ModelVerdict compatible = new ModelVerdict(
                "tick_count",
                Verdict.STATE_COMPATIBLE,
                List.of("a filter changed before the group-aggregate"),
                List.of(new OperatorCheck(
                        "tick_count/group-aggregate", "group-aggregate", OperatorCheck.RESTORES, 6_000, null)),
                "fail",
                "src/main/sql/tick_count.sql");
        assertThat(planner.plan(changedPlan, Map.of("tick_count", compatible), state))
                .filteredOn(action -> action.model().equals("tick_count"))
                .singleElement()
                .extracting(ModelAction::action)
                .isEqualTo(DeployAction.UPGRADE);
    }

    @Test
    @Order(17)
    void aJobThatFailsAfterItsStopsSavepointIsCancelledAndTheNewPlanRestoresItsLatestState() throws Exception {
        TestProjects.write(
                project, "src/main/sql/tick_count.sql", COUNT_THROUGH_FUNCTION_SQL.formatted("max_id", marker, -8));
        assertThat(actions(FlinkDbt.deploy(settings().build(), invocation(log()).build(), DeployMode.DEPLOY)))
                .containsEntry("tick_count", "UPGRADE COMMITTED");
        JobID failing = currentJob("tick_count");
        Files.writeString(marker, "");
        try {
            TestProjects.write(
                    project,
                    "src/main/sql/tick_count.sql",
                    COUNT_THROUGH_FUNCTION_SQL.formatted("greatest(max_id, 0)", marker, -9));
            List<String> log = log();
            DeployOutcome deployed =
                    FlinkDbt.deploy(settings().build(), invocation(log).build(), DeployMode.DEPLOY);
            assertThat(actions(deployed)).containsEntry("tick_count", "UPGRADE COMMITTED");
            assertThat(String.join("\n", log))
                    .contains("tick_count: job " + failing + " took its savepoint but did not stop (")
                    .containsPattern("tick_count: job " + failing + " ended (CANCELED|FAILED); its latest state");
            // ended before the new plan started (cancelled, or failed for good once its restarts ran out)
            assertThat(cluster.job(failing).status().isGloballyTerminalState()).isTrue();
            assertThat(HealthGate.samePlace(
                            cluster.checkpoints(currentJob("tick_count"))
                                    .restored()
                                    .orElseThrow()
                                    .externalPath(),
                            result(deployed, "tick_count").savepoint()))
                    .isTrue();
        } finally {
            Files.delete(marker);
        }
        assertThat(cluster.jobs("flink-dbt:counts:tick_count").stream()
                        .filter(job -> !job.status().isGloballyTerminalState()))
                .hasSize(1);
        assertCountIsExact(awaitCommittedCount());
    }

    @Test
    @Order(18)
    void aChangeThatLosesStateIsRefusedUnderReprocessAndStartsEmptyUnderAllowStateLoss() throws Exception {
        JobID running = currentJob("tick_count");
        int records = ledger().size();
        String byParity = """
                {{ config(materialized='streaming_table', unique_key='k', on_state_incompatible='%s') }}
                select cast(id %% 2 as string) as k, count(*) as cnt, max(id) as max_id
                from {{ source('gen', 'ticks') }} group by cast(id %% 2 as string)
                """;
        TestProjects.write(project, "src/main/sql/tick_count.sql", byParity.formatted("reprocess"));
        assertThatThrownBy(() ->
                        FlinkDbt.deploy(settings().build(), invocation(log()).build(), DeployMode.DEPLOY))
                .hasMessageContaining("tick_count cannot keep its state and its policy is"
                        + " on_state_incompatible='reprocess', which this version cannot do yet")
                .hasMessageContaining("Set 'allow_state_loss' to start it empty, or revert the change.");
        assertThat(ledger()).hasSize(records);
        assertThat(cluster.job(running).status()).isEqualTo(JobStatus.RUNNING);

        TestProjects.write(project, "src/main/sql/tick_count.sql", byParity.formatted("allow_state_loss"));
        List<String> log = log();
        DeployOutcome deployed =
                FlinkDbt.deploy(settings().build(), invocation(log).build(), DeployMode.DEPLOY);
        assertThat(actions(deployed)).containsEntry("tick_count", "START_EMPTY COMMITTED");
        assertThat(String.join("\n", log))
                .contains("! tick_count")
                .contains("stop with savepoint (kept), start without state: group-aggregate: input columns")
                .contains("tick_count: submitted job " + currentJob("tick_count") + ", without state");
        // the old state is kept in the savepoint the stop took; the new job restored nothing
        assertThat(result(deployed, "tick_count").savepoint()).isNotNull();
        awaitEnded(running);
        assertThat(cluster.job(running).status()).isEqualTo(JobStatus.FINISHED);
        assertThat(cluster.checkpoints(currentJob("tick_count")).restored()).isEmpty();
    }

    /**
     * Deploys, freezing the JobManager (SIGSTOP: its port open, no answer) the moment the stop's
     * trigger is in the ledger; thaws it after {@code millis}, or, with 0, leaves it frozen.
     */
    private static DeployOutcome deployFreezingTheJobManagerAtTheStop(ProcessHandle jobManager, long millis)
            throws Exception {
        int before = ledger().size();
        CompletableFuture<DeployOutcome> deploy = CompletableFuture.supplyAsync(
                () -> FlinkDbt.deploy(settings().build(), invocation(log()).build(), DeployMode.DEPLOY));
        long deadline = System.currentTimeMillis() + 60_000;
        while (ledger().stream().skip(before).noneMatch(r -> r.kind() == Kind.SAVEPOINT_TRIGGERED)) {
            assertThat(System.currentTimeMillis())
                    .as("the stop triggered in time")
                    .isLessThan(deadline);
            assertThat(deploy).isNotDone();
            Thread.sleep(20);
        }
        signal(jobManager, "STOP");
        if (millis > 0) {
            Thread.sleep(millis);
            signal(jobManager, "CONT");
        }
        try {
            return deploy.get(3, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private static void signal(ProcessHandle process, String signal) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid()))
                        .start()
                        .waitFor())
                .isZero();
    }

    private static Settings.Builder settings() {
        return settingsOf(project);
    }

    private static Settings.Builder settingsOf(Path project) {
        return TestProjects.settings(project)
                .defaultName("counts")
                .database("counts")
                .home(dir.resolve("home"))
                .cluster(shared.restUrl())
                .classpath(List.of(functions))
                .deploy(new Settings.Deploy(null, 60, 90, 1, 1));
    }

    /** A directory of the project's compiled classes holding {@code function}, as the build's target/classes. */
    private static Path functionClasses(Path classes, Class<?> function) {
        String file = function.getName().replace('.', '/') + ".class";
        try (InputStream bytes = function.getClassLoader().getResourceAsStream(file)) {
            Path target = classes.resolve(file);
            Files.createDirectories(target.getParent());
            Files.copy(bytes, target);
            return classes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Invocation.Builder invocation(List<String> log) {
        return TestProjects.invocation(TestProjects.capturing(log)).pluginClasspath(TestProjects.testClasspath());
    }

    private static List<String> log() {
        return Collections.synchronizedList(new ArrayList<>());
    }

    private static Map<String, String> actions(DeployOutcome outcome) {
        return outcome.models().stream()
                .collect(Collectors.toMap(ModelResult::model, m -> m.action() + " " + m.outcome()));
    }

    private static ModelResult result(DeployOutcome outcome, String model) {
        return outcome.models().stream()
                .filter(m -> m.model().equals(model))
                .findFirst()
                .orElseThrow();
    }

    private static Ledger ledgerOf() {
        return Ledger.open(new org.apache.flink.core.fs.Path(
                dir.resolve("home/ledger/counts").toUri()));
    }

    private static List<LedgerRecord> ledger() {
        return ledgerOf().read().records();
    }

    private static JobID currentJob(String model) {
        return DeployedState.read(ledgerOf()).models().get(model).job();
    }

    private static void awaitEnded(JobID job) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!cluster.job(job).status().isGloballyTerminalState()) {
            assertThat(System.currentTimeMillis())
                    .as("job %s ended in time", job)
                    .isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    /** The counter's committed row once it has one: {cnt, max_id}. */
    private static long[] awaitCommittedCount() throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            List<String> rows =
                    TestProjects.query(dir.resolve("home"), "SELECT cnt, max_id FROM flink_dbt.counts.tick_count");
            if (!rows.isEmpty()) {
                String[] values = rows.get(0).replaceAll("[^0-9,]", "").split(",");
                return new long[] {Long.parseLong(values[0]), Long.parseLong(values[1])};
            }
            assertThat(System.currentTimeMillis())
                    .as("a committed count in time")
                    .isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    /** The sequence 1..n counted once each: the count is the highest id. */
    private static void assertCountIsExact(long[] row) {
        assertThat(row[0])
                .as("events counted, of ids 1..%d", row[1])
                .isEqualTo(row[1])
                .isPositive();
    }
}
