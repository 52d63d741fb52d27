package io.github.flinkdbt.home.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.FlinkFiles;
import io.github.flinkdbt.common.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.Path;

/**
 * The lock that keeps two deployers of one project from interleaving: a lease with a fencing token.
 * Each taking of the lock creates the next file {@code lock/0000000007.json} (created exclusively:
 * of two deployers only one gets a number), so the token only grows; the holder is the highest
 * file, until it releases it or its lease ends unrenewed. Whoever takes over gets a higher token,
 * and every ledger append checks it still holds the highest ({@link #verify}), so a deployer that
 * stalled past its lease can no longer write.
 */
public final class DeployLock {

    private static final Pattern LOCK_FILE = Pattern.compile("(\\d{10})\\.json");
    private static final Duration POLL = Duration.ofMillis(200);
    private static final int KEPT = 20;
    private static final Duration TORN_AFTER = Duration.ofSeconds(10);

    private final Path directory;
    private final Clock clock;

    DeployLock(Path directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    /**
     * The lock as its holder knows it.
     *
     * @param token the fencing token: higher for every later holder
     * @param owner who holds it ({@code user@host pid})
     */
    public record Lease(long token, String owner) {}

    /**
     * One taking of the lock, as its file says.
     *
     * @param token its number
     * @param owner who took it
     * @param since when
     * @param expires when its lease ends unless renewed
     * @param releasedBy who released it ({@code owner}, or who forced it open); null while held
     */
    public record Holder(long token, String owner, String since, String expires, String releasedBy) {

        boolean heldAt(Instant now) {
            return releasedBy == null && now.isBefore(Instant.parse(expires));
        }
    }

    /**
     * Takes the lock for {@code owner}: at once when it is free (or its holder's lease ended), else
     * after waiting up to {@code timeout} for it; then fails naming the holder and since when.
     */
    public Lease acquire(String owner, Duration lease, Duration timeout) {
        Instant deadline = clock.instant().plus(timeout);
        while (true) {
            Optional<Holder> current = holder();
            Instant now = clock.instant();
            long last = lastToken();
            boolean beingTaken = last > current.map(Holder::token).orElse(0L) && !torn(file(last));
            if (!beingTaken && (current.isEmpty() || !current.get().heldAt(now))) {
                long token = lastToken() + 1;
                Holder mine =
                        new Holder(token, owner, now.toString(), now.plus(lease).toString(), null);
                // read back: where creating is not exclusive (object stores) the last writer's content stays
                if (FlinkFiles.createNew(file(token), Json.line(mine), true)
                        && holder().filter(mine::equals).isPresent()) {
                    deleteOld(token);
                    return new Lease(token, owner);
                }
                continue; // another deployer took this number first
            }
            if (!now.isBefore(deadline) && beingTaken) {
                throw new FlinkDbtException("The deployment lock of " + directory.getParent() + " is being taken: "
                        + file(last).getName() + " is not whole yet. Run again; a file a crash left torn is passed"
                        + " over " + TORN_AFTER.toSeconds() + " s after it was written.");
            }
            if (!now.isBefore(deadline)) {
                Holder holder = current.orElseThrow();
                throw new FlinkDbtException("Another deploy holds the deployment lock of " + directory.getParent()
                        + ": " + holder.owner() + " since " + holder.since() + " (its lease ends " + holder.expires()
                        + " unless renewed). Wait for it to finish, or run again with a longer lock timeout; a"
                        + " deployer that died leaves the lock to the next one when its lease ends.");
            }
            sleep(POLL);
        }
    }

    /** Extends the lease; fails when it is no longer this holder's. */
    public void renew(Lease lease, Duration duration) {
        Holder held = verify(lease);
        Instant now = clock.instant();
        FlinkFiles.write(
                file(lease.token()),
                Json.line(new Holder(
                        held.token(),
                        held.owner(),
                        held.since(),
                        now.plus(duration).toString(),
                        null)),
                true);
    }

    /** Gives the lock up, if it is still this holder's. */
    public void release(Lease lease) {
        Optional<Holder> current = holder();
        if (current.isPresent()
                && current.get().token() == lease.token()
                && current.get().releasedBy() == null) {
            Holder held = current.get();
            FlinkFiles.write(
                    file(lease.token()),
                    Json.line(new Holder(held.token(), held.owner(), held.since(), held.expires(), lease.owner())),
                    true);
        }
    }

    /**
     * Opens the lock whoever holds it, for an operator who knows its holder is gone: a released
     * taking with the next token, so the old holder's next write is refused.
     */
    public Holder forceUnlock(String who) {
        while (true) {
            Optional<Holder> current = holder();
            long token = lastToken() + 1;
            String now = clock.instant().toString();
            Holder opened = new Holder(token, who, now, now, who);
            if (FlinkFiles.createNew(file(token), Json.line(opened), true)) {
                return current.orElse(opened);
            }
        }
    }

    /** The latest taking of the lock; empty when it was never taken. */
    public Optional<Holder> holder() {
        List<FileStatus> files = FlinkFiles.list(directory);
        for (int i = files.size() - 1; i >= 0; i--) {
            Matcher name = LOCK_FILE.matcher(files.get(i).getPath().getName());
            if (name.matches()) {
                Holder holder = read(files.get(i).getPath());
                if (holder != null) {
                    return Optional.of(holder);
                }
            }
        }
        return Optional.empty();
    }

    /** The lease's holder, when {@code lease} still holds the lock; else fails saying who took it. */
    public Holder verify(Lease lease) {
        Holder current = holder().orElse(null);
        if (current == null
                || current.token() != lease.token()
                || !current.owner().equals(lease.owner())) {
            throw new FlinkDbtException("This deploy lost the deployment lock of " + directory.getParent() + ": "
                    + (current == null
                            ? "it is gone"
                            : current.owner() + " took it at " + current.since()
                                    + (current.releasedBy() != null ? " (forced open)" : ""))
                    + ". It stops here; run the deploy again to go on from the ledger.");
        }
        if (!current.heldAt(clock.instant())) {
            throw new FlinkDbtException("This deploy's lease on the deployment lock of " + directory.getParent()
                    + " ended at " + current.expires() + (current.releasedBy() != null ? " (released)" : "")
                    + "; another deploy may have started. It stops here; run the deploy again.");
        }
        return current;
    }

    /**
     * Whether a lock file that does not read was torn by a crash rather than being written now
     * (where a file can be seen before it is whole): it has not changed for a while.
     */
    private static boolean torn(Path file) {
        return System.currentTimeMillis() - FlinkFiles.modified(file) > TORN_AFTER.toMillis();
    }

    /** The highest number taken, by a file that reads or by one torn by a crash. */
    private long lastToken() {
        long last = 0;
        for (FileStatus file : FlinkFiles.list(directory)) {
            Matcher name = LOCK_FILE.matcher(file.getPath().getName());
            if (name.matches()) {
                last = Math.max(last, Long.parseLong(name.group(1)));
            }
        }
        return last;
    }

    private Path file(long token) {
        return new Path(directory, "%010d.json".formatted(token));
    }

    private static Holder read(Path file) {
        try {
            return Json.fromLine(FlinkFiles.read(file).strip(), Holder.class);
        } catch (JsonProcessingException | RuntimeException e) {
            return null; // being written, or torn
        }
    }

    private void deleteOld(long token) {
        for (FileStatus file : FlinkFiles.list(directory)) {
            Matcher name = LOCK_FILE.matcher(file.getPath().getName());
            if (name.matches() && Long.parseLong(name.group(1)) <= token - KEPT) {
                FlinkFiles.delete(file.getPath());
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlinkDbtException("Interrupted while waiting for the deployment lock", e);
        }
    }
}
