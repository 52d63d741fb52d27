package io.github.flinkdbt.cluster.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.cluster.ClusterClasspath;
import io.github.flinkdbt.common.BuildLog;
import io.github.flinkdbt.common.FlinkDbtException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lifecycle of a real standalone cluster (processes of its own) and its faults, each of which
 * must end in one clear message with nothing left running. The suite's other cluster tests share
 * {@link SharedCluster}; these start their own, small ones.
 */
class StandaloneClusterTest {

    @TempDir
    Path home;

    @Test
    void startsIsIdempotentRestartsALostTaskManagerAndStopsLeavingNoProcess() throws Exception {
        StandaloneCluster.Spec spec = spec(home.resolve("cluster"), freePort(), 1);
        ClusterStatus started = StandaloneCluster.start(spec, BuildLog.silent(), Hints.plain());
        try {
            assertThat(started.running()).isTrue();
            assertThat(started.overview().orElseThrow().taskManagers()).isEqualTo(1);
            assertThat(started.overview().orElseThrow().slotsTotal()).isEqualTo(2);
            assertThat(started.overview().orElseThrow().flinkVersion()).isEqualTo(System.getProperty("flink.version"));
            assertThat(Files.readString(home.resolve("cluster/conf/config.yaml")))
                    .contains("rest.port: " + spec.restPort())
                    .contains("taskmanager.numberOfTaskSlots: 2");
            assertThat(home.resolve("cluster/log/jobmanager.log")).isNotEmptyFile();
            assertThat(home.resolve("cluster/log/taskmanager-1.log")).isNotEmptyFile();

            List<String> log = new ArrayList<>();
            ClusterStatus again = StandaloneCluster.start(spec, TestProjects.capturing(log), Hints.plain());
            assertThat(log).anyMatch(line -> line.contains("already running"));
            assertThat(pids(again)).isEqualTo(pids(started));

            // a TaskManager killed -9: its pid file is stale; the next start starts it again
            long taskManager = pid(started, "taskmanager-1");
            ProcessHandle victim = ProcessHandle.of(taskManager).orElseThrow();
            victim.destroyForcibly();
            victim.onExit().get();
            ClusterStatus afterKill = StandaloneCluster.status(spec.directory());
            assertThat(afterKill.processes())
                    .contains(new ClusterStatus.ProcessState("taskmanager-1", taskManager, false));
            ClusterStatus healed = StandaloneCluster.start(spec, BuildLog.silent(), Hints.plain());
            assertThat(pid(healed, "taskmanager-1")).isNotEqualTo(taskManager);
            assertThat(healed.processes()).allMatch(ClusterStatus.ProcessState::alive);
        } finally {
            String stopped = StandaloneCluster.stop(spec.directory(), Duration.ofSeconds(30));
            assertThat(stopped).contains("stopped 2 process(es)").doesNotContain("killed");
        }
        for (long pid : pids(started)) {
            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        }
        assertThat(StandaloneCluster.status(spec.directory()).processes()).isEmpty();
        assertThat(StandaloneCluster.stop(spec.directory(), Duration.ofSeconds(5)))
                .contains("no Flink cluster runs");
    }

    @Test
    void aStalePidFileOfAClusterThatIsGoneIsCleanedAtStart() throws Exception {
        Path directory = home.resolve("cluster");
        Files.createDirectories(directory.resolve("run"));
        // a pid no process has (pid_max is far below it)
        Files.writeString(directory.resolve("run/jobmanager.pid"), "999999999 2026-01-01T00:00:00Z\n");
        ClusterStatus status = StandaloneCluster.status(directory);
        assertThat(status.jobManagerRunning()).isFalse();
        assertThat(status.lines()).anyMatch(line -> line.contains("gone (stale pid file)"));
        assertThat(StandaloneCluster.stop(directory, Duration.ofSeconds(5)))
                .contains("removed the stale pid files of jobmanager");
        assertThat(directory.resolve("run/jobmanager.pid")).doesNotExist();
    }

    @Test
    void aPortInUseIsOneClearMessageAndNothingStarts() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("localhost"))) {
            StandaloneCluster.Spec spec = spec(home.resolve("cluster"), taken.getLocalPort(), 1);
            assertThatThrownBy(() -> StandaloneCluster.start(spec, BuildLog.silent(), Hints.plain()))
                    .isInstanceOf(FlinkDbtException.class)
                    .hasMessageContaining("port " + taken.getLocalPort() + " is in use (another program listens there)")
                    .hasMessageContaining("rest_port=" + (taken.getLocalPort() + 1));
            assertThat(StandaloneCluster.status(spec.directory()).processes()).isEmpty();
        }
    }

    @Test
    void aHomeThatCannotBeWrittenIsOneClearMessage() throws Exception {
        Path file = Files.writeString(home.resolve("not-a-directory"), "x");
        StandaloneCluster.Spec spec = spec(file.resolve("cluster"), freePort(), 1);
        assertThatThrownBy(() -> StandaloneCluster.start(spec, BuildLog.silent(), Hints.plain()))
                .isInstanceOf(FlinkDbtException.class)
                .hasMessageStartingWith("Cannot write the Flink cluster's files under " + file.resolve("cluster"))
                .hasMessageContaining("home=<directory>");
    }

    @Test
    void aTaskManagerThatFailsToStartIsReportedWithItsLogAndNothingIsLeftRunning() throws Exception {
        Path directory = home.resolve("cluster");
        // the second TaskManager's temporary directory is a file: it cannot start (as root too)
        Files.createDirectories(directory.resolve("tmp"));
        Files.writeString(directory.resolve("tmp/taskmanager-2"), "in the way");
        StandaloneCluster.Spec spec = spec(directory, freePort(), 2);
        assertThatThrownBy(() -> StandaloneCluster.start(spec, BuildLog.silent(), Hints.plain()))
                .isInstanceOf(FlinkDbtException.class)
                .hasMessageContaining("taskmanager-2")
                .hasMessageContaining("Nothing of the cluster was left running");
        assertThat(StandaloneCluster.status(directory).processes()).isEmpty();
        assertThat(ProcessHandle.allProcesses()
                        .filter(p -> p.info().commandLine().orElse("").contains(directory.toString())))
                .isEmpty();
    }

    static StandaloneCluster.Spec spec(Path directory, int restPort, int taskManagers) {
        return new StandaloneCluster.Spec(
                directory,
                restPort,
                taskManagers,
                2,
                Map.of(),
                ClusterClasspath.forCluster(TestProjects.testClasspath()),
                Duration.ofSeconds(30));
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("localhost"))) {
            return socket.getLocalPort();
        }
    }

    private static List<Long> pids(ClusterStatus status) {
        return status.processes().stream().map(ClusterStatus.ProcessState::pid).toList();
    }

    private static long pid(ClusterStatus status, String process) {
        return status.processes().stream()
                .filter(p -> p.name().equals(process))
                .findFirst()
                .orElseThrow()
                .pid();
    }
}
