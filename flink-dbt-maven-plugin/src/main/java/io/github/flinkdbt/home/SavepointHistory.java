package io.github.flinkdbt.home;

import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.Option;
import io.github.flinkdbt.common.AtomicFiles;
import io.github.flinkdbt.common.FlinkDbtException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The state one streaming model left: {@code last-savepoint} names the savepoint its last stop
 * took (replaced atomically; the newest {@value #KEPT} are kept, older ones deleted), and
 * {@code checkpoints/<job>/chk-<n>/} holds the checkpoints its jobs retained. A job that died
 * without a savepoint (killed, crashed) leaves its latest checkpoint, newer than the last savepoint:
 * the next start restores from whichever of the two is newer. A job restored from either takes a
 * full first checkpoint (Flink's default NO_CLAIM mode), so it never depends on an older one.
 */
public final class SavepointHistory {

    static final int KEPT = 3;

    private static final String METADATA = "_metadata";

    private SavepointHistory() {}

    /** Where a model's state is: a savepoint or a retained checkpoint. */
    public record RestorePoint(Path location, boolean savepoint) {

        /** How a log line names it: the savepoint's directory, or the checkpoint with its job. */
        public String describe() {
            return savepoint
                    ? location.getFileName().toString()
                    : "checkpoint " + location.getFileName() + " of job "
                            + location.getParent().getFileName();
        }
    }

    /** Records {@code location} as the model's latest savepoint and prunes what it makes obsolete. */
    public static void record(Path stateDirectory, String location) {
        try {
            AtomicFiles.write(stateDirectory.resolve("last-savepoint"), location + "\n");
            Path savepoint = toPath(location);
            prune(stateDirectory.resolve("savepoints"), savepoint);
            pruneCheckpoints(stateDirectory.resolve("checkpoints"), modified(savepoint.resolve(METADATA)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The savepoint the last stop of a streaming model took; null when it never took one. A
     * recorded savepoint that is gone is an error, not a silent start without state.
     */
    public static Path latest(Path stateDirectory, Hints hints) {
        Path record = stateDirectory.resolve("last-savepoint");
        if (!Files.isRegularFile(record)) {
            return null;
        }
        String location;
        try {
            location = Files.readString(record).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path savepoint = toPath(location);
        if (!Files.isRegularFile(savepoint.resolve(METADATA))) {
            throw new FlinkDbtException("The last savepoint of this model, " + location + " (recorded in "
                    + record + "), is gone, so its state cannot be restored. Put it back, or run with "
                    + hints.name(Option.FULL_REFRESH) + " to start the model without state.");
        }
        return savepoint;
    }

    /**
     * What a model's next start restores: the newer of its last savepoint and the latest checkpoint
     * its jobs retained; empty when it has neither.
     */
    public static Optional<RestorePoint> restorePoint(Path stateDirectory, Hints hints) {
        Path savepoint = latest(stateDirectory, hints);
        Path checkpoint = latestCheckpoint(stateDirectory.resolve("checkpoints"));
        if (checkpoint != null
                && (savepoint == null
                        || modified(checkpoint.resolve(METADATA)) > modified(savepoint.resolve(METADATA)))) {
            return Optional.of(new RestorePoint(checkpoint, false));
        }
        return Optional.ofNullable(savepoint).map(path -> new RestorePoint(path, true));
    }

    /** The newest completed checkpoint ({@code <job>/chk-<n>} with its metadata) under {@code checkpoints}. */
    private static Path latestCheckpoint(Path checkpoints) {
        if (!Files.isDirectory(checkpoints)) {
            return null;
        }
        try (Stream<Path> metadata = Files.find(
                checkpoints,
                3,
                (path, attributes) -> attributes.isRegularFile()
                        && path.getFileName().toString().equals(METADATA)
                        && path.getParent().getFileName().toString().startsWith("chk-"))) {
            return metadata.max(
                            Comparator.comparingLong(SavepointHistory::modified).thenComparing(Path::toString))
                    .map(Path::getParent)
                    .orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void prune(Path savepoints, Path keep) throws IOException {
        if (!Files.isDirectory(savepoints)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> dirs = Files.list(savepoints)) {
            all = dirs.filter(Files::isDirectory)
                    .sorted(Comparator.comparing(SavepointHistory::modified).reversed())
                    .toList();
        }
        for (Path old : all.subList(Math.min(KEPT, all.size()), all.size())) {
            if (!old.equals(keep)) {
                AtomicFiles.deleteTree(old);
            }
        }
    }

    /** Deletes the checkpoints of earlier jobs that a newer savepoint replaces. */
    private static void pruneCheckpoints(Path checkpoints, long savepointTime) throws IOException {
        if (!Files.isDirectory(checkpoints)) {
            return;
        }
        List<Path> jobs;
        try (Stream<Path> dirs = Files.list(checkpoints)) {
            jobs = dirs.filter(Files::isDirectory).toList();
        }
        for (Path job : jobs) {
            Path newest = latestCheckpoint(job);
            if (modified(newest == null ? job : newest.resolve(METADATA)) < savepointTime) {
                AtomicFiles.deleteTree(job);
            }
        }
    }

    private static long modified(Path path) {
        try {
            return Files.getLastModifiedTime(path).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static Path toPath(String location) {
        return location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
    }
}
