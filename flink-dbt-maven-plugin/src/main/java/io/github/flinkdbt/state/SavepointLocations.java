package io.github.flinkdbt.state;

import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.Option;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.FlinkFiles;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.Path;

/**
 * Which savepoint holds each model's state. The {@code savepoint} option takes
 * {@code model=location,...}, one savepoint, or a directory of savepoints (searched a few levels
 * deep); a location is a directory or a URI of any file system Flink has ({@code s3://…}). A
 * savepoint belongs to the models whose UIDs it holds, the newest one wins. Without the option,
 * the baseline's own savepoints (what a home last left) are used.
 */
public final class SavepointLocations {

    private static final int SEARCH_DEPTH = 5;

    private SavepointLocations() {}

    /** @param basedir what relative directories are relative to: the project's directory */
    /**
     * The state a baseline's model restores next. A retained checkpoint of a job that still runs may
     * be replaced by the next one (and deleted) while it is read: then the check goes on by the plans
     * alone for that model, as it would without a checkpoint. A savepoint is never deleted under us:
     * failing to read one is an error.
     */
    private static Optional<SavepointMetadata> readBaselineState(String location) {
        URI uri = URI.create(location);
        try {
            return Optional.of(SavepointMetadata.read(uri));
        } catch (FlinkDbtException e) {
            if (new Path(uri).getName().startsWith("chk-")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public static Map<String, SavepointMetadata> resolve(
            String spec, java.nio.file.Path basedir, Baseline baseline, Hints hints) {
        Map<String, SavepointMetadata> savepoints = new TreeMap<>();
        if (spec == null || spec.isBlank()) {
            baseline.savepoints().entrySet().parallelStream()
                    .map(entry -> Map.entry(entry.getKey(), readBaselineState(entry.getValue())))
                    .filter(entry -> entry.getValue().isPresent())
                    .forEachOrdered(entry ->
                            savepoints.put(entry.getKey(), entry.getValue().get()));
            return savepoints;
        }
        if (spec.contains("=")) {
            for (String pair : spec.split(",")) {
                String[] parts = pair.split("=", 2);
                if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                    throw new FlinkDbtException(hints.name(Option.SAVEPOINT) + ": '" + pair.trim()
                            + "' is not model=location.\nWrite "
                            + hints.set(
                                    Option.SAVEPOINT,
                                    "clicks_per_user=/savepoints/savepoint-3f2a01-9c1e2d4b5f6a,other_model=...")
                            + ", or give one savepoint or a directory of them.");
                }
                savepoints.put(parts[0].trim(), SavepointMetadata.read(location(parts[1], basedir, hints)));
            }
            return savepoints;
        }
        URI location = location(spec, basedir, hints);
        List<Path> found = find(spec.trim(), new Path(location), hints);
        if (found.isEmpty()) {
            throw new FlinkDbtException("No savepoint in " + FlinkFiles.display(location)
                    + " (no _metadata file in it or below it).\n"
                    + "Give a savepoint directory, a directory of them, or model=location pairs.");
        }
        for (Path savepoint : found) { // newest last, so it wins
            SavepointMetadata read = SavepointMetadata.read(savepoint.toUri());
            read.models().forEach(model -> savepoints.put(model, read));
        }
        return savepoints;
    }

    private static URI location(String given, java.nio.file.Path basedir, Hints hints) {
        try {
            return FlinkFiles.toUri(given, basedir);
        } catch (IllegalArgumentException e) {
            throw new FlinkDbtException(hints.set(Option.SAVEPOINT, given.trim()) + ": " + e.getMessage()
                    + "\nGive a directory, or a URI such as s3://bucket/savepoints/savepoint-3f2a01-9c1e2d4b5f6a.");
        }
    }

    /** The savepoints (directories holding {@code _metadata}) at or below {@code path}, oldest first. */
    private static List<Path> find(String given, Path path, Hints hints) {
        try {
            if (FlinkFiles.exists(SavepointMetadata.file(path))) {
                return List.of(path);
            }
            if (!FlinkFiles.isDirectory(path)) {
                throw new FlinkDbtException(hints.set(Option.SAVEPOINT, given) + ": no such directory ("
                        + FlinkFiles.display(path.toUri()) + ").");
            }
            List<Path> found = new ArrayList<>();
            collect(path, SEARCH_DEPTH, found);
            return found.stream()
                    .sorted(Comparator.comparingLong(
                                    (Path savepoint) -> FlinkFiles.modified(SavepointMetadata.file(savepoint)))
                            .thenComparing(Path::toString))
                    .toList();
        } catch (UncheckedIOException e) {
            throw new FlinkDbtException(
                    "Cannot search " + FlinkFiles.display(path.toUri()) + " for savepoints: " + e.getMessage(), e);
        }
    }

    private static void collect(Path directory, int depth, List<Path> found) {
        for (FileStatus entry : FlinkFiles.list(directory)) {
            if (!entry.isDir()) {
                if (entry.getPath().getName().equals(SavepointMetadata.FILE)) {
                    found.add(directory);
                }
            } else if (depth > 1) {
                collect(entry.getPath(), depth - 1, found);
            }
        }
    }
}
