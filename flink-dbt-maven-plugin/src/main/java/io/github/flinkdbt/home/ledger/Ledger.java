package io.github.flinkdbt.home.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.FlinkFiles;
import io.github.flinkdbt.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.Path;

/**
 * A project's deployment ledger: an append-only sequence of {@link LedgerRecord}s, one file each
 * ({@code records/0000000042.json}) through Flink's file systems, so it can live on a shared disk or
 * an object store. Each file holds the record's JSON and the SHA-256 of it: a write torn by a crash
 * is recognised as such and set aside by the next append ({@code 0000000042.torn}), and since no
 * file is ever rewritten, it cannot damage an earlier record. Only the holder of the project's {@link DeployLock} appends, and every
 * append proves it still holds it (its fencing token), so two deployers never interleave. Readable
 * by its owner only (on a local disk).
 */
public final class Ledger {

    private static final Pattern RECORD_FILE = Pattern.compile("(\\d{10})\\.(json|torn)");
    private static final String CHECKSUM_PREFIX = "sha256:";

    private final Path directory;
    private final Path records;
    private final Clock clock;
    /** Records read before, by file name: a record file is never rewritten, so each is parsed once. */
    private final Map<String, LedgerRecord> parsed = new ConcurrentHashMap<>();
    /** The number of the record this ledger appended last; 0 before its first. */
    private long lastAppended;

    private Ledger(Path directory, Clock clock) {
        this.directory = directory;
        this.records = new Path(directory, "records");
        this.clock = clock;
    }

    /** The ledger in {@code directory}, created (owner-only) when it does not exist. */
    public static Ledger open(Path directory) {
        return open(directory, Clock.systemUTC());
    }

    static Ledger open(Path directory, Clock clock) {
        try {
            FlinkFiles.ownerOnlyDirectory(directory);
            FlinkFiles.ownerOnlyDirectory(new Path(directory, "records"));
        } catch (IOException | UncheckedIOException e) {
            throw new FlinkDbtException(
                    "Cannot create the deployment ledger in " + directory + " (" + FlinkDbtException.rootCause(e)
                            + "). Make it writable or choose another place for it.",
                    e);
        }
        return new Ledger(directory, clock);
    }

    public Path directory() {
        return directory;
    }

    /** The lock that guards this ledger. */
    public DeployLock lock() {
        return new DeployLock(new Path(directory, "lock"), clock);
    }

    /** Every record, in order; a torn last write is reported, not returned. */
    public Reading read() {
        List<LedgerRecord> read = new ArrayList<>();
        List<String> torn = new ArrayList<>();
        long last = 0;
        for (FileStatus file : FlinkFiles.list(records)) {
            Matcher name = RECORD_FILE.matcher(file.getPath().getName());
            if (!name.matches()) {
                continue;
            }
            last = Math.max(last, Long.parseLong(name.group(1)));
            if (name.group(2).equals("torn")) {
                continue;
            }
            LedgerRecord record = parsed.get(file.getPath().getName());
            if (record == null) {
                record = parse(file.getPath());
                if (record != null) {
                    parsed.put(file.getPath().getName(), record);
                }
            }
            if (record == null) {
                torn.add(file.getPath().getName());
            } else {
                if (!torn.isEmpty()) {
                    throw new FlinkDbtException("The deployment ledger " + directory + " is damaged: "
                            + String.join(", ", torn) + " cannot be read but later records can. Restore the"
                            + " ledger from a backup; do not deploy until it reads whole.");
                }
                read.add(record);
            }
        }
        return new Reading(List.copyOf(read), List.copyOf(torn), last);
    }

    /**
     * Appends a record as the holder of {@code lease}: refused when the lease is no longer the
     * lock's (another deployer took it over), so a stalled deployer can never write over a newer one.
     * The threads of one deployer (its models go side by side) append one at a time.
     */
    public synchronized LedgerRecord append(LedgerRecord record, DeployLock.Lease lease) {
        lock().verify(lease);
        // the holder of the lock appended the last record itself: the next number is known without a read
        if (lastAppended > 0) {
            LedgerRecord appended = write(record, lastAppended + 1, lease);
            if (appended != null) {
                return appended;
            }
        }
        for (int attempt = 0; ; attempt++) {
            Reading reading = read();
            // a write torn by a crash is set aside (kept for a look), so the records after it read whole
            for (String torn : reading.torn()) {
                FlinkFiles.move(new Path(records, torn), new Path(records, torn.replace(".json", ".torn")));
            }
            LedgerRecord appended = write(record, reading.lastSequence() + 1, lease);
            if (appended != null) {
                return appended;
            }
            if (attempt == 3) {
                throw new FlinkDbtException("Cannot append to the deployment ledger " + directory + ": record "
                        + (reading.lastSequence() + 1) + " exists already although this deployer holds its lock.");
            }
        }
    }

    /** The record written as number {@code sequence}; null when that number is taken. */
    private LedgerRecord write(LedgerRecord record, long sequence, DeployLock.Lease lease) {
        LedgerRecord appended = record.appended(sequence, clock.instant().toString(), lease.token());
        String json = Json.line(appended);
        String content = json + "\n" + CHECKSUM_PREFIX + sha256(json) + "\n";
        if (!FlinkFiles.createNew(new Path(records, "%010d.json".formatted(sequence)), content, true)) {
            return null;
        }
        lastAppended = sequence;
        return appended;
    }

    private static LedgerRecord parse(Path file) {
        String content = FlinkFiles.read(file);
        int end = content.indexOf('\n');
        if (end < 0) {
            return null;
        }
        String json = content.substring(0, end);
        String checksum = content.substring(end + 1).strip();
        if (!checksum.equals(CHECKSUM_PREFIX + sha256(json))) {
            return null;
        }
        try {
            return Json.fromLine(json, LedgerRecord.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What a read found.
     *
     * @param records every whole record, in order
     * @param torn the files of writes torn by a crash (at the end only), left in place
     * @param lastSequence the highest sequence number taken, torn writes included
     */
    public record Reading(List<LedgerRecord> records, List<String> torn, long lastSequence) {}
}
