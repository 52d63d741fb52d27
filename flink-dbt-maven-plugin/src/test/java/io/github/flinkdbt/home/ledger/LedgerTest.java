package io.github.flinkdbt.home.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.home.ledger.LedgerRecord.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger on a real disk: records in order, a torn write set aside, a stale deployer refused. */
class LedgerTest {

    @TempDir
    Path dir;

    private Ledger ledger() {
        return Ledger.open(flinkPath(dir.resolve("ledger")));
    }

    static org.apache.flink.core.fs.Path flinkPath(Path local) {
        return new org.apache.flink.core.fs.Path(local.toUri());
    }

    private static LedgerRecord step(Kind kind, String model, String key, String value) {
        return LedgerRecord.of("d-000001", kind, model, Map.of(key, value));
    }

    @Test
    void recordsReadBackInOrderWithTheirFencingTokenAndOnlyTheOwnerCanReadThem() throws Exception {
        Ledger ledger = ledger();
        DeployLock.Lease lease = ledger.lock().acquire("ci@build-1 4242", Duration.ofSeconds(30), Duration.ZERO);
        ledger.append(step(Kind.DEPLOYMENT_STARTED, null, "commit", "3f2a01b"), lease);
        ledger.append(step(Kind.SAVEPOINT_TRIGGERED, "clicks", "triggerId", "a1b2"), lease);
        ledger.append(step(Kind.SAVEPOINT_TAKEN, "clicks", "savepoint", "file:/sp/savepoint-1"), lease);

        Ledger.Reading reading = ledger().read();
        assertThat(reading.torn()).isEmpty();
        assertThat(reading.records())
                .extracting(LedgerRecord::sequence, LedgerRecord::kind, LedgerRecord::model, LedgerRecord::fencingToken)
                .containsExactly(
                        tuple(1L, Kind.DEPLOYMENT_STARTED, null, lease.token()),
                        tuple(2L, Kind.SAVEPOINT_TRIGGERED, "clicks", lease.token()),
                        tuple(3L, Kind.SAVEPOINT_TAKEN, "clicks", lease.token()));
        assertThat(reading.records().get(2).facts()).containsEntry("savepoint", "file:/sp/savepoint-1");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ledger"))))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(dir.resolve("ledger/records/0000000003.json"))))
                .isEqualTo("rw-------");
    }

    @Test
    void theModelsOfOneDeploymentAppendSideBySideWithoutLosingARecord() throws Exception {
        Ledger ledger = ledger();
        DeployLock.Lease lease = ledger.lock().acquire("ci", Duration.ofSeconds(30), Duration.ZERO);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<LedgerRecord>> appended = new ArrayList<>();
            for (int model = 0; model < 10; model++) {
                String name = "m" + model;
                for (int step = 0; step < 5; step++) {
                    appended.add(pool.submit(() -> ledger.append(step(Kind.INTENT, name, "k", "v"), lease)));
                }
            }
            for (Future<LedgerRecord> record : appended) {
                record.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(ledger.read().records())
                .hasSize(50)
                .extracting(LedgerRecord::sequence)
                .doesNotHaveDuplicates();
    }

    @Test
    void aWriteTornByACrashIsSetAsideAndTheRecordsBeforeItStayWhole() throws Exception {
        Ledger ledger = ledger();
        DeployLock.Lease lease = ledger.lock().acquire("ci", Duration.ofSeconds(30), Duration.ZERO);
        ledger.append(step(Kind.DEPLOYMENT_STARTED, null, "commit", "3f2a01b"), lease);
        ledger.append(step(Kind.INTENT, "clicks", "action", "UPGRADE"), lease);
        Path records = dir.resolve("ledger/records");
        String first = Files.readString(records.resolve("0000000001.json"));
        String second = Files.readString(records.resolve("0000000002.json"));
        // the JVM died while writing record 3: half of its line, no checksum
        Files.writeString(records.resolve("0000000003.json"), second.substring(0, second.length() / 2));

        Ledger.Reading reading = ledger.read();
        assertThat(reading.records()).extracting(LedgerRecord::sequence).containsExactly(1L, 2L);
        assertThat(reading.torn()).containsExactly("0000000003.json");

        LedgerRecord next = ledger.append(step(Kind.SAVEPOINT_TRIGGERED, "clicks", "triggerId", "a1b2"), lease);
        assertThat(next.sequence()).isEqualTo(4);
        assertThat(records.resolve("0000000003.torn")).exists();
        assertThat(ledger.read().records()).extracting(LedgerRecord::sequence).containsExactly(1L, 2L, 4L);
        assertThat(ledger.read().torn()).isEmpty();
        assertThat(Files.readString(records.resolve("0000000001.json"))).isEqualTo(first);
        assertThat(Files.readString(records.resolve("0000000002.json"))).isEqualTo(second);
    }

    @Test
    void aRecordChangedAfterItWasWrittenIsRefusedNotSkipped() throws Exception {
        Ledger ledger = ledger();
        DeployLock.Lease lease = ledger.lock().acquire("ci", Duration.ofSeconds(30), Duration.ZERO);
        ledger.append(step(Kind.SAVEPOINT_TAKEN, "clicks", "savepoint", "file:/sp/savepoint-1"), lease);
        ledger.append(step(Kind.COMMITTED, "clicks", "job", "8c1e"), lease);
        Path first = dir.resolve("ledger/records/0000000001.json");
        Files.writeString(first, Files.readString(first).replace("savepoint-1", "savepoint-0"));

        // the next deployer reads it (a deployer parses each record once: files are never rewritten)
        assertThatThrownBy(() -> ledger().read())
                .isInstanceOf(FlinkDbtException.class)
                .hasMessageContaining("is damaged: 0000000001.json cannot be read but later records can");
    }

    @Test
    void aDeployerWhoseLeaseWasTakenOverCannotAppend() {
        DeployLockTest.MovableClock clock = new DeployLockTest.MovableClock();
        Ledger ledger = Ledger.open(flinkPath(dir.resolve("ledger")), clock);
        DeployLock.Lease stalled = ledger.lock().acquire("stalled", Duration.ofSeconds(30), Duration.ZERO);
        ledger.append(step(Kind.INTENT, "clicks", "action", "UPGRADE"), stalled);
        clock.move(Duration.ofSeconds(31)); // it stalled past its lease
        DeployLock.Lease next = ledger.lock().acquire("next", Duration.ofSeconds(30), Duration.ZERO);
        assertThat(next.token()).isGreaterThan(stalled.token());

        assertThatThrownBy(() -> ledger.append(step(Kind.SAVEPOINT_TRIGGERED, "clicks", "triggerId", "x"), stalled))
                .isInstanceOf(FlinkDbtException.class)
                .hasMessageContaining("This deploy lost the deployment lock")
                .hasMessageContaining("next took it at");
        ledger.append(step(Kind.INTENT, "clicks", "action", "RESTORE"), next);
        assertThat(ledger.read().records())
                .extracting(LedgerRecord::fencingToken)
                .containsExactly(stalled.token(), next.token());
    }
}
