package io.github.flinkdbt.home.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.home.ledger.LedgerRecord.Kind;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deployment lock between threads and between JVMs of their own, on a real disk. */
class DeployLockTest {

    @TempDir
    Path dir;

    private DeployLock lock() {
        return Ledger.open(LedgerTest.flinkPath(dir.resolve("ledger"))).lock();
    }

    @Test
    void aSecondDeployerWaitsThenFailsNamingTheHolderAndSinceWhen() {
        DeployLock.Lease first = lock().acquire("alice@ci-1 101", Duration.ofSeconds(30), Duration.ZERO);
        long start = System.nanoTime();
        assertThatThrownBy(() -> lock().acquire("bob@ci-2 202", Duration.ofSeconds(30), Duration.ofMillis(600)))
                .isInstanceOf(FlinkDbtException.class)
                .hasMessageContaining("Another deploy holds the deployment lock")
                .hasMessageContaining(
                        "alice@ci-1 101 since " + lock().holder().orElseThrow().since());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        lock().verify(first);
    }

    @Test
    void aWaitingDeployerGetsTheLockWhenItIsReleasedWithAHigherToken() throws Exception {
        DeployLock.Lease first = lock().acquire("alice", Duration.ofSeconds(30), Duration.ZERO);
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            lock().release(first);
        });
        releaser.start();
        DeployLock.Lease second = lock().acquire("bob", Duration.ofSeconds(30), Duration.ofSeconds(10));
        releaser.join();
        assertThat(second.token()).isEqualTo(first.token() + 1);
        assertThatThrownBy(() -> lock().verify(first)).hasMessageContaining("bob took it at");
    }

    @Test
    void aRenewedLeaseIsKeptAndAnExpiredOneTakenOver() {
        MovableClock clock = new MovableClock();
        DeployLock lock =
                Ledger.open(LedgerTest.flinkPath(dir.resolve("ledger")), clock).lock();
        DeployLock.Lease lease = lock.acquire("alice", Duration.ofMinutes(1), Duration.ZERO);
        clock.move(Duration.ofSeconds(50));
        lock.renew(lease, Duration.ofMinutes(1));
        clock.move(Duration.ofSeconds(50));
        lock.verify(lease); // 100 s after taking it, alive because renewed
        assertThatThrownBy(() -> lock.acquire("bob", Duration.ofMinutes(1), Duration.ZERO))
                .hasMessageContaining("alice");
        clock.move(Duration.ofSeconds(11));
        assertThatThrownBy(() -> lock.verify(lease)).hasMessageContaining("ended at");
        assertThat(lock.acquire("bob", Duration.ofMinutes(1), Duration.ZERO).token())
                .isEqualTo(lease.token() + 1);
    }

    /** A clock a test moves forward. */
    static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T10:00:00Z");

        void move(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void forceUnlockOpensTheLockAndTheOldHolderCanNoLongerWrite() throws Exception {
        DeployLock.Lease lease = lock().acquire("alice", Duration.ofMinutes(10), Duration.ZERO);
        DeployLock.Holder was = lock().forceUnlock("ops@laptop");
        assertThat(was.owner()).isEqualTo("alice");
        assertThatThrownBy(() -> lock().verify(lease))
                .hasMessageContaining("ops@laptop took it at")
                .hasMessageContaining("forced open");
        // a lock file torn by a crash is skipped, its number never reused
        Path torn = dir.resolve("ledger/lock/%010d.json".formatted(lease.token() + 2));
        Files.writeString(torn, "{\"tok");
        assertThatThrownBy(() -> lock().acquire("bob", Duration.ofSeconds(30), Duration.ZERO))
                .hasMessageContaining("is being taken: %010d.json is not whole yet".formatted(lease.token() + 2));
        Files.setLastModifiedTime(torn, FileTime.from(Instant.now().minusSeconds(60)));
        assertThat(lock().acquire("bob", Duration.ofSeconds(30), Duration.ZERO).token())
                .isEqualTo(lease.token() + 3);
    }

    /**
     * Four JVMs of their own deploy at once, each appending ten records under the lock: every
     * record is there once, numbered without a gap, and one deployer's records never interleave
     * with another's.
     */
    @Test
    void deployersInJvmsOfTheirOwnNeverInterleave() throws Exception {
        Path ledger = dir.resolve("ledger");
        Ledger.open(LedgerTest.flinkPath(ledger));
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            processes.add(new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Xmx128m",
                            "-XX:TieredStopAtLevel=1",
                            "-cp",
                            System.getProperty("java.class.path"),
                            Contender.class.getName(),
                            ledger.toUri().toString(),
                            "deployer-" + i)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("deployer-" + i + ".log").toFile())
                    .start());
        }
        for (Process process : processes) {
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue())
                    .as(Files.readString(dir.resolve("deployer-" + processes.indexOf(process) + ".log")))
                    .isZero();
        }
        List<LedgerRecord> records =
                Ledger.open(LedgerTest.flinkPath(ledger)).read().records();
        assertThat(records).hasSize(40);
        assertThat(records)
                .extracting(LedgerRecord::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 40).boxed().toList());
        for (int block = 0; block < 4; block++) {
            List<LedgerRecord> run = records.subList(block * 10, block * 10 + 10);
            assertThat(run)
                    .extracting(LedgerRecord::deployment)
                    .containsOnly(run.get(0).deployment());
            assertThat(run)
                    .extracting(LedgerRecord::fencingToken)
                    .containsOnly(run.get(0).fencingToken());
        }
        assertThat(records.stream().map(LedgerRecord::deployment).distinct()).hasSize(4);
    }

    /** One deployer: takes the lock, appends ten records slowly, lets it go. */
    public static final class Contender {
        public static void main(String[] args) throws Exception {
            Ledger ledger = Ledger.open(LedgerTest.flinkPath(Path.of(URI.create(args[0]))));
            DeployLock.Lease lease = ledger.lock().acquire(args[1], Duration.ofSeconds(20), Duration.ofSeconds(90));
            for (int i = 0; i < 10; i++) {
                ledger.append(LedgerRecord.of(args[1], Kind.INTENT, "m" + i, Map.of("n", String.valueOf(i))), lease);
                Thread.sleep(5);
            }
            ledger.lock().release(lease);
        }
    }
}
