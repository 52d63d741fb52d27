package io.github.flinkdbt.state;

import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.Option;
import io.github.flinkdbt.common.FlinkDbtException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Which savepoint holds each model's state. The {@code savepoint} option takes
 * {@code model=path,...}, one savepoint directory, or a directory of savepoints (searched a few
 * levels deep); a savepoint belongs to the models whose UIDs it holds, the newest one wins.
 * Without it, the baseline's own savepoints (what a home last left) are used.
 */
public final class SavepointLocations {

    private SavepointLocations() {}

    public static Map<String, SavepointMetadata> resolve(String spec, Baseline baseline, Hints hints) {
        Map<String, SavepointMetadata> savepoints = new TreeMap<>();
        if (spec == null || spec.isBlank()) {
            baseline.savepoints().entrySet().parallelStream()
                    .map(entry -> Map.entry(entry.getKey(), SavepointMetadata.read(entry.getValue())))
                    .forEachOrdered(entry -> savepoints.put(entry.getKey(), entry.getValue()));
            return savepoints;
        }
        if (spec.contains("=")) {
            for (String pair : spec.split(",")) {
                String[] parts = pair.split("=", 2);
                if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                    throw new FlinkDbtException(hints.name(Option.SAVEPOINT) + ": '" + pair.trim()
                            + "' is not model=path.\nWrite "
                            + hints.set(
                                    Option.SAVEPOINT,
                                    "clicks_per_user=/savepoints/savepoint-3f2a01-9c1e2d4b5f6a,other_model=...")
                            + ", or give one savepoint or a directory of them.");
                }
                savepoints.put(parts[0].trim(), SavepointMetadata.read(Path.of(parts[1].trim())));
            }
            return savepoints;
        }
        Path path = Path.of(spec.trim());
        List<Path> found = find(path, hints);
        if (found.isEmpty()) {
            throw new FlinkDbtException("No savepoint in " + path + " (no _metadata file in it or below it).\n"
                    + "Give a savepoint directory, a directory of them, or model=path pairs.");
        }
        for (Path metadata : found) { // newest last, so it wins
            SavepointMetadata read = SavepointMetadata.read(metadata.getParent());
            read.models().forEach(model -> savepoints.put(model, read));
        }
        return savepoints;
    }

    private static List<Path> find(Path path, Hints hints) {
        if (Files.isRegularFile(path.resolve("_metadata"))) {
            return List.of(path.resolve("_metadata"));
        }
        if (!Files.isDirectory(path)) {
            throw new FlinkDbtException(hints.set(Option.SAVEPOINT, path.toString()) + ": no such directory.");
        }
        try (Stream<Path> walk = Files.walk(path, 5)) {
            return walk.filter(p -> p.getFileName().toString().equals("_metadata") && Files.isRegularFile(p))
                    .sorted(Comparator.comparing(SavepointLocations::modified).thenComparing(Path::toString))
                    .toList();
        } catch (IOException e) {
            throw new FlinkDbtException("Cannot search " + path + " for savepoints: " + e.getMessage(), e);
        }
    }

    private static FileTime modified(Path path) {
        try {
            return Files.getLastModifiedTime(path);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
