package io.github.flinkdbt.home;

import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.common.AtomicFiles;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.state.Baseline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The plan each streaming model of a home last started from ({@code state/<project>/<model>/plan.json}),
 * next to the savepoint it left: together, the baseline a change is checked against
 * (the {@code deployed} baseline) and the UIDs the next start continues.
 */
public final class DeployedPlans {

    static final String PLAN = "plan.json";

    private DeployedPlans() {}

    public static void record(Path stateDirectory, String planJson) {
        try {
            AtomicFiles.write(stateDirectory.resolve(PLAN), planJson);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@code directory} is a flink-dbt home: {@link FlinkDbtHome#open} made its catalog store. */
    public static boolean isHome(Path directory) {
        return Files.isDirectory(new FlinkDbtHome(directory).catalogStore());
    }

    /** Whether the home at {@code directory} ran streaming models of {@code project}. */
    public static boolean ran(Path directory, String project) {
        return isHome(directory)
                && !plans(new FlinkDbtHome(directory).state(project)).isEmpty();
    }

    /**
     * What the home last ran of {@code project}: its plans, and with {@code withState} the state each
     * model's next start restores.
     */
    public static Baseline baseline(Path home, String project, Hints hints, boolean withState) {
        Map<String, String> plans = new TreeMap<>();
        Map<String, Path> savepoints = new TreeMap<>();
        for (Path model : plans(new FlinkDbtHome(home).state(project))) {
            String name = model.getFileName().toString();
            try {
                plans.put(name, Files.readString(model.resolve(PLAN), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new FlinkDbtException("Cannot read what " + home + " ran: " + e.getMessage(), e);
            }
            if (withState) {
                SavepointHistory.restorePoint(model, hints).ifPresent(point -> savepoints.put(name, point.location()));
            }
        }
        return new Baseline("deployed (" + home + ")", plans, savepoints);
    }

    /** The state directories of the models that recorded a plan, in name order. */
    private static List<Path> plans(Path state) {
        if (!Files.isDirectory(state)) {
            return List.of();
        }
        try (Stream<Path> models = Files.list(state)) {
            return models.filter(model -> Files.isRegularFile(model.resolve(PLAN)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new FlinkDbtException("Cannot read what " + state + " holds: " + e.getMessage(), e);
        }
    }
}
