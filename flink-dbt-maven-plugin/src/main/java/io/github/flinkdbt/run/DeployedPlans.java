package io.github.flinkdbt.run;

import io.github.flinkdbt.AtomicFiles;
import io.github.flinkdbt.FlinkDbtException;
import io.github.flinkdbt.cluster.FlinkDbtHome;
import io.github.flinkdbt.state.Baseline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The plan each streaming model of a home last started from ({@code state/<project>/<model>/plan.json}),
 * next to the savepoint it left: together, the baseline a change is checked against
 * ({@code -Dflink-dbt.baseline=deployed}) and the UIDs the next start continues.
 */
public final class DeployedPlans {

    static final String PLAN = "plan.json";

    private DeployedPlans() {}

    static void record(Path stateDirectory, String planJson) {
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

    /** What the home last ran of {@code project}: plans and latest savepoints. */
    public static Baseline baseline(Path home, String project) {
        Path state = new FlinkDbtHome(home).state(project);
        Map<String, String> plans = new TreeMap<>();
        Map<String, Path> savepoints = new TreeMap<>();
        if (Files.isDirectory(state)) {
            try (Stream<Path> models = Files.list(state)) {
                for (Path model : models.filter(Files::isDirectory).sorted().toList()) {
                    Path plan = model.resolve(PLAN);
                    if (!Files.isRegularFile(plan)) {
                        continue;
                    }
                    String name = model.getFileName().toString();
                    plans.put(name, Files.readString(plan, StandardCharsets.UTF_8));
                    try {
                        Path savepoint = SavepointHistory.latest(model);
                        if (savepoint != null) {
                            savepoints.put(name, savepoint);
                        }
                    } catch (IllegalStateException gone) {
                        throw new FlinkDbtException(gone.getMessage());
                    }
                }
            } catch (IOException e) {
                throw new FlinkDbtException("Cannot read what " + home + " ran: " + e.getMessage(), e);
            }
        }
        return new Baseline("deployed (" + home + ")", plans, savepoints);
    }
}
