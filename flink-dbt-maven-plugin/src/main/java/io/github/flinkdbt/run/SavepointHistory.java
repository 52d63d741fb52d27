package io.github.flinkdbt.run;

import io.github.flinkdbt.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The savepoints of one streaming model: {@code last-savepoint} names the one the next run
 * restores (replaced atomically); the newest {@value #KEPT} are kept, older ones deleted. A job
 * restored from a savepoint takes a full first checkpoint (Flink's default NO_CLAIM mode), so it
 * never depends on an older savepoint.
 */
final class SavepointHistory {

    static final int KEPT = 3;

    private SavepointHistory() {}

    /** Records {@code location} as the model's latest savepoint and prunes the oldest. */
    static void record(Path stateDirectory, String location) {
        try {
            AtomicFiles.write(stateDirectory.resolve("last-savepoint"), location + "\n");
            prune(stateDirectory.resolve("savepoints"), toPath(location));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The savepoint the last run of a streaming model left; null when it never left one. A
     * recorded savepoint that is gone is an error, not a silent start without state.
     */
    static Path latest(Path stateDirectory) {
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
        if (!Files.isRegularFile(savepoint.resolve("_metadata"))) {
            throw new IllegalStateException("The last savepoint of this model, " + location + " (recorded in "
                    + record + "), is gone, so its state cannot be restored. Put it back, or run with "
                    + "-Dflink-dbt.fullRefresh to start the model without state.");
        }
        return savepoint;
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
