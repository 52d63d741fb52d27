package io.github.flinkdbt.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.flinkdbt.TestProjects;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real forked run, stopped the ways it is stopped outside tests: its process group signalled as
 * by a terminal hang-up, a cancelled CI job or Ctrl-C (each signal once or twice, the parent passing
 * it on too), its parent killed ("Maven gone"), and the whole group killed. One counter streams
 * 1..N through all of it; every stop but the kill leaves a savepoint, the kill its latest retained
 * checkpoint, and each next run continues from there. At the end the count is exactly N: nothing
 * lost, nothing counted twice.
 */
class RunSignalsTest {

    private static final int EVENTS = 6000;
    private static final Pattern METADATA_VERSION = Pattern.compile("v(\\d+)\\.metadata\\.json");

    @TempDir
    Path dir;

    @Test
    void everyWayARunIsStoppedKeepsItsStateAndTheCountEndsExact() throws Exception {
        assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/setsid")) || Files.isExecutable(Path.of("/bin/setsid")),
                "setsid (util-linux) starts a process group of its own");
        Path project = TestProjects.counter(dir.resolve("counts"), 200, EVENTS);
        Path home = dir.resolve("home");
        Path state = home.resolve("state/counts/tick_count");

        // a terminal hang-up or a cancelled CI job: SIGTERM to the group, twice
        Run first = Run.start(project, home, true);
        first.awaitNewCommit(home);
        first.signalGroup("TERM");
        Thread.sleep(300);
        first.signalGroup("TERM");
        first.awaitEnd();
        assertThat(first.log())
                .contains("starts empty: no savepoint or retained checkpoint to restore")
                .contains("stopped with savepoint");
        String afterFirst = lastSavepoint(state);
        long countFirst = count(home);
        assertThat(countFirst).isPositive().isLessThan(EVENTS);

        // Maven gone: the parent killed alone; its run notices and saves its state before it ends
        Run second = Run.start(project, home, true);
        second.awaitNewCommit(home);
        second.killParent();
        second.awaitEnd();
        assertThat(second.log()).contains("restored from " + Path.of(afterFirst).getFileName());
        String afterSecond = lastSavepoint(state);
        assertThat(afterSecond).isNotEqualTo(afterFirst);
        long countSecond = count(home);
        assertThat(countSecond).isGreaterThan(countFirst).isLessThan(EVENTS);

        // Ctrl-C in a terminal: SIGINT to the group, which the parent passes on as SIGTERM
        Run third = Run.start(project, home, true);
        third.awaitNewCommit(home);
        third.signalGroup("INT");
        third.awaitEnd();
        assertThat(third.log())
                .contains("restored from " + Path.of(afterSecond).getFileName())
                .contains("stopped with savepoint");
        String afterThird = lastSavepoint(state);
        assertThat(afterThird).isNotEqualTo(afterSecond);
        long countThird = count(home);
        assertThat(countThird).isGreaterThan(countSecond).isLessThan(EVENTS);

        // the whole group killed: no savepoint, but the job's latest checkpoint is on disk ...
        Run fourth = Run.start(project, home, true);
        fourth.awaitNewCommit(home);
        fourth.awaitNewCommit(home);
        fourth.signalGroup("KILL");
        fourth.awaitEnd();
        assertThat(lastSavepoint(state)).isEqualTo(afterThird);
        long countFourth = count(home);
        assertThat(countFourth).isGreaterThan(countThird);

        // ... and the next run restores it, then counts to the end; the rest of the input comes faster (the
        // rate is a source option, which the compiled plan does not hold: the state restores as before)
        TestProjects.counter(project, 2000, EVENTS);
        Run last = Run.start(project, home, false);
        last.awaitEnd();
        assertThat(last.log())
                .containsPattern("restored from checkpoint chk-\\d+ of job [0-9a-f]{32}")
                .contains("[PARENT] run ended");
        assertThat(TestProjects.query(home, "SELECT cnt, max_id FROM flink_dbt.counts.tick_count"))
                .containsExactly("ROW +I[" + EVENTS + ", " + EVENTS + "]");
    }

    private static String lastSavepoint(Path state) throws IOException {
        String location = Files.readString(state.resolve("last-savepoint")).trim();
        assertThat(Path.of(URI.create(location)).resolve("_metadata")).exists();
        return location;
    }

    private static long count(Path home) throws Exception {
        List<String> rows = TestProjects.query(home, "SELECT cnt FROM flink_dbt.counts.tick_count");
        return rows.isEmpty() ? 0 : Long.parseLong(rows.get(0).replaceAll("\\D", ""));
    }

    /** A parent JVM in a process group of its own (setsid), running the project with the run forked. */
    private static final class Run {
        private final Process parent;
        private final List<String> log = Collections.synchronizedList(new ArrayList<>());
        private final Thread reader;
        private List<ProcessHandle> family = List.of();
        private int seenVersion = -1;

        private Run(Process parent) {
            this.parent = parent;
            this.reader = new Thread(() -> {
                try (BufferedReader out =
                        new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        System.out.println("  | " + line);
                        log.add(line);
                    }
                } catch (IOException e) {
                    log.add("[reader] " + e);
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        static Run start(Path project, Path home, boolean keepRunning) throws IOException {
            List<String> command = List.of(
                    "setsid",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    ParentMain.class.getName(),
                    project.toString(),
                    home.toString(),
                    String.valueOf(keepRunning));
            return new Run(new ProcessBuilder(command).redirectErrorStream(true).start());
        }

        /** Waits until the run committed a new Iceberg snapshot of the counts, after its jobs run. */
        void awaitNewCommit(Path home) throws Exception {
            Path metadata = home.resolve("warehouse/counts/tick_count/metadata");
            long deadline = System.currentTimeMillis() + 180_000;
            while (!log().contains("streaming job(s) running")) {
                assertThat(System.currentTimeMillis())
                        .as("jobs running; log:\n" + log())
                        .isLessThan(deadline);
                assertThat(parent.isAlive())
                        .as("the run is alive; log:\n" + log())
                        .isTrue();
                Thread.sleep(200);
            }
            if (seenVersion < 0) {
                seenVersion = version(metadata);
            }
            while (version(metadata) <= seenVersion) {
                assertThat(System.currentTimeMillis())
                        .as("a new commit; log:\n" + log())
                        .isLessThan(deadline);
                Thread.sleep(200);
            }
            seenVersion = version(metadata);
            family = parent.toHandle().descendants().toList();
            assertThat(family).as("the forked run JVM").isNotEmpty();
        }

        void signalGroup(String signal) throws Exception {
            Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + parent.pid())
                    .inheritIO()
                    .start();
            assertThat(kill.waitFor()).isZero();
        }

        void killParent() {
            parent.toHandle().destroyForcibly();
        }

        /** Waits for the parent and every process it started to be gone. */
        void awaitEnd() throws Exception {
            assertThat(parent.waitFor(4, TimeUnit.MINUTES))
                    .as("the parent ended; log:\n" + log())
                    .isTrue();
            for (ProcessHandle process : family) {
                assertThat(process.onExit().get(4, TimeUnit.MINUTES).isAlive())
                        .as("left behind: " + process.pid())
                        .isFalse();
            }
            reader.join(5000);
        }

        String log() {
            synchronized (log) {
                return String.join("\n", log);
            }
        }

        private static int version(Path metadata) throws IOException {
            if (!Files.isDirectory(metadata)) {
                return 0;
            }
            try (Stream<Path> files = Files.list(metadata)) {
                return files.map(f -> METADATA_VERSION.matcher(f.getFileName().toString()))
                        .filter(Matcher::matches)
                        .mapToInt(m -> Integer.parseInt(m.group(1)))
                        .max()
                        .orElse(0);
            }
        }
    }
}
