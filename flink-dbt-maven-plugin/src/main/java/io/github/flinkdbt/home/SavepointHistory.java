package io.github.flinkdbt.home;

import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.Option;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.FlinkFiles;
import io.github.flinkdbt.state.SavepointMetadata;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.Path;

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

    private static final String LAST = "last-savepoint";

    private SavepointHistory() {}

    /** Where a model's state is: a savepoint or a retained checkpoint. */
    public record RestorePoint(Path location, boolean savepoint) {

        /** How a log line names it: the savepoint's directory, or the checkpoint with its job. */
        public String describe() {
            return savepoint
                    ? location.getName()
                    : "checkpoint " + location.getName() + " of job "
                            + location.getParent().getName();
        }
    }

    /** Records {@code location} as the model's latest savepoint and prunes what it makes obsolete. */
    public static void record(Path stateDirectory, String location) {
        remember(stateDirectory, location);
        prune(new Path(stateDirectory, "savepoints"), new Path(location));
    }

    /**
     * Records {@code location} as the model's latest savepoint and deletes the checkpoints it makes
     * obsolete, leaving the savepoints to their owner (a deployment disposes of them itself).
     */
    public static void remember(Path stateDirectory, String location) {
        FlinkFiles.write(new Path(stateDirectory, LAST), location + "\n", false);
        pruneCheckpoints(
                new Path(stateDirectory, "checkpoints"),
                FlinkFiles.modified(SavepointMetadata.file(new Path(location))));
    }

    /** The location recorded as the model's last savepoint, whether or not it is still there. */
    public static Optional<String> recorded(Path stateDirectory) {
        Path record = new Path(stateDirectory, LAST);
        return FlinkFiles.exists(record) ? Optional.of(FlinkFiles.read(record).trim()) : Optional.empty();
    }

    /**
     * The savepoint the last stop of a streaming model took; null when it never took one. A
     * recorded savepoint that is gone is an error, not a silent start without state.
     */
    public static Path latest(Path stateDirectory, Hints hints) {
        Path record = new Path(stateDirectory, LAST);
        if (!FlinkFiles.exists(record)) {
            return null;
        }
        String location = FlinkFiles.read(record).trim();
        Path savepoint = new Path(location);
        if (!FlinkFiles.exists(SavepointMetadata.file(savepoint))) {
            throw new FlinkDbtException("The last savepoint of this model, " + location + " (recorded in " + record
                    + "), is gone, so its state cannot be restored. Put it back, or run with "
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
        Path checkpoint = latestCheckpoint(new Path(stateDirectory, "checkpoints"));
        if (checkpoint != null
                && (savepoint == null
                        || FlinkFiles.modified(SavepointMetadata.file(checkpoint))
                                > FlinkFiles.modified(SavepointMetadata.file(savepoint)))) {
            return Optional.of(new RestorePoint(checkpoint, false));
        }
        return Optional.ofNullable(savepoint).map(path -> new RestorePoint(path, true));
    }

    /**
     * The newer of {@code savepoint} and the latest checkpoint {@code job} retained after it: the
     * job's latest state once it ended, read from the files (the cluster's checkpoint statistics
     * may lag behind).
     */
    public static String newerOf(Path stateDirectory, String savepoint, String job) {
        Path checkpoint = newest(completedCheckpoints(new Path(new Path(stateDirectory, "checkpoints"), job)));
        return checkpoint != null
                        && FlinkFiles.modified(SavepointMetadata.file(checkpoint))
                                > FlinkFiles.modified(SavepointMetadata.file(new Path(savepoint)))
                ? checkpoint.toUri().toString()
                : savepoint;
    }

    /** The newest completed checkpoint ({@code <job>/chk-<n>} with its metadata) under {@code checkpoints}. */
    private static Path latestCheckpoint(Path checkpoints) {
        List<Path> completed = new ArrayList<>();
        for (FileStatus job : FlinkFiles.list(checkpoints)) {
            if (job.isDir()) {
                completed.addAll(completedCheckpoints(job.getPath()));
            }
        }
        return newest(completed);
    }

    private static Path newest(List<Path> checkpoints) {
        return checkpoints.stream()
                .max(Comparator.comparingLong((Path chk) -> FlinkFiles.modified(SavepointMetadata.file(chk)))
                        .thenComparing(Path::toString))
                .orElse(null);
    }

    private static List<Path> completedCheckpoints(Path job) {
        return FlinkFiles.list(job).stream()
                .filter(FileStatus::isDir)
                .map(FileStatus::getPath)
                .filter(chk -> chk.getName().startsWith("chk-"))
                .filter(chk -> FlinkFiles.exists(SavepointMetadata.file(chk)))
                .toList();
    }

    private static void prune(Path savepoints, Path keep) {
        List<Path> newestFirst = FlinkFiles.list(savepoints).stream()
                .filter(FileStatus::isDir)
                .sorted(Comparator.comparingLong(FileStatus::getModificationTime)
                        .reversed())
                .map(FileStatus::getPath)
                .toList();
        for (Path old : newestFirst.subList(Math.min(KEPT, newestFirst.size()), newestFirst.size())) {
            if (!old.toUri().getPath().equals(keep.toUri().getPath())) {
                FlinkFiles.deleteTree(old);
            }
        }
    }

    /** Deletes the checkpoints of earlier jobs that a newer savepoint replaces. */
    private static void pruneCheckpoints(Path checkpoints, long savepointTime) {
        for (FileStatus job : FlinkFiles.list(checkpoints)) {
            if (!job.isDir()) {
                continue;
            }
            Path newest = newest(completedCheckpoints(job.getPath()));
            long time =
                    newest == null ? job.getModificationTime() : FlinkFiles.modified(SavepointMetadata.file(newest));
            if (time < savepointTime) {
                FlinkFiles.deleteTree(job.getPath());
            }
        }
    }
}
