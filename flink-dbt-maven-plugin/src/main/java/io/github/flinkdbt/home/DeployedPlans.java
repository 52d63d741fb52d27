package io.github.flinkdbt.home;

import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.FlinkFiles;
import io.github.flinkdbt.common.Json;
import io.github.flinkdbt.project.Project;
import io.github.flinkdbt.project.SourceText;
import io.github.flinkdbt.state.Baseline;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.Path;

/**
 * The plan each streaming model of a home last started from ({@code state/<project>/<model>/plan.json}),
 * next to the savepoint it left: together, the baseline a change is checked against
 * (the {@code deployed} baseline) and the UIDs the next start continues.
 */
public final class DeployedPlans {

    static final String PLAN = "plan.json";
    /** {@code state/<project>/built.json}: the state checksum of every model as a run or deploy last built it. */
    static final String BUILT = "built.json";

    private DeployedPlans() {}

    public static void record(Path stateDirectory, String planJson) {
        FlinkFiles.write(new Path(stateDirectory, PLAN), planJson, false);
    }

    /** The plan the model last started from, if it started. */
    public static Optional<String> last(Path stateDirectory) {
        Path file = new Path(stateDirectory, PLAN);
        return FlinkFiles.exists(file) ? Optional.of(FlinkFiles.read(file)) : Optional.empty();
    }

    /** A plan's checksum, as the ledger records it. */
    public static String checksum(String planJson) {
        return SourceText.sha256(planJson);
    }

    /**
     * Keeps a plan a deployment starts ({@code plans/<checksum>.json}), so that a deployer that died
     * can start it again, and a rollback the one before it, whatever the build holds by then.
     * Returns its checksum.
     */
    public static String archive(Path stateDirectory, String planJson) {
        String checksum = checksum(planJson);
        Path file = new Path(new Path(stateDirectory, "plans"), checksum + ".json");
        if (!FlinkFiles.exists(file)) {
            FlinkFiles.write(file, planJson, false);
        }
        return checksum;
    }

    /** A plan {@link #archive} kept. */
    public static String archived(Path stateDirectory, String checksum) {
        Path file = new Path(new Path(stateDirectory, "plans"), checksum + ".json");
        if (!FlinkFiles.exists(file)) {
            throw new FlinkDbtException("The plan " + checksum + " a deployment started is gone from " + file
                    + ". Restore it from a backup of the home, or drop the model's job by hand.");
        }
        return FlinkFiles.read(file);
    }

    /** Whether {@code location} is a flink-dbt home: {@link FlinkDbtHome#open} made its catalog store. */
    public static boolean isHome(URI location) {
        return new FlinkDbtHome(location).exists();
    }

    /** Whether the home at {@code location} ran streaming models of {@code project}. */
    public static boolean ran(URI location, String project) {
        return isHome(location)
                && !plans(new FlinkDbtHome(location).state(project)).isEmpty();
    }

    /**
     * Records the state checksums of the models a run or deploy just built, over what the home
     * knew of the others: the baseline {@code state:modified} selects against.
     */
    public static void recordBuilt(URI location, Project project, Collection<String> models) {
        Map<String, String> checksums = new TreeMap<>();
        models.stream()
                .map(project::model)
                .filter(model -> model != null)
                .forEach(model -> checksums.put(model.name(), model.stateChecksum()));
        if (checksums.isEmpty()) {
            return;
        }
        Path file = new Path(new FlinkDbtHome(location).state(project.name()), BUILT);
        Map<String, String> built = new TreeMap<>(built(file));
        built.putAll(checksums);
        FlinkFiles.write(file, Json.write(built), false);
    }

    private static Map<String, String> built(Path file) {
        Map<String, String> built = new TreeMap<>();
        if (FlinkFiles.exists(file)) {
            Json.read(FlinkFiles.read(file))
                    .fields()
                    .forEachRemaining(
                            entry -> built.put(entry.getKey(), entry.getValue().asText()));
        }
        return built;
    }

    /**
     * What the home last ran of {@code project}: its plans, and with {@code withState} the state each
     * model's next start restores.
     */
    public static Baseline baseline(URI location, String project, Hints hints, boolean withState) {
        FlinkDbtHome home = new FlinkDbtHome(location);
        Map<String, String> plans = new TreeMap<>();
        Map<String, String> savepoints = new TreeMap<>();
        for (Path model : plans(home.state(project))) {
            String name = model.getName();
            try {
                plans.put(name, FlinkFiles.read(new Path(model, PLAN)));
            } catch (UncheckedIOException e) {
                throw new FlinkDbtException("Cannot read what " + home.display() + " ran: " + e.getMessage(), e);
            }
            if (withState) {
                SavepointHistory.restorePoint(model, hints)
                        .ifPresent(
                                point -> savepoints.put(name, point.location().toString()));
            }
        }
        Map<String, String> built = built(new Path(home.state(project), BUILT));
        return new Baseline("deployed (" + home.display() + ")", plans, savepoints, built);
    }

    /** The state directories of the models that recorded a plan, in name order. */
    private static List<Path> plans(Path state) {
        return FlinkFiles.list(state).stream()
                .filter(FileStatus::isDir)
                .map(FileStatus::getPath)
                .filter(model -> FlinkFiles.exists(new Path(model, PLAN)))
                .toList();
    }
}
