package io.github.flinkdbt.home;

import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.Option;
import io.github.flinkdbt.common.FlinkDbtException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where everything a run leaves behind lives, outside {@code target/} so that cleaning the build
 * does not delete it: the Iceberg warehouse (the tables), the catalog (sources, views, functions
 * and the catalog store that lets any JVM find them), and the state of streaming jobs
 * (checkpoints, savepoints, the last savepoint of each model).
 *
 * <pre>
 * home/
 *   warehouse/&lt;database&gt;/&lt;table&gt;/   Iceberg tables (Hadoop catalog)
 *   catalog/&lt;database&gt;/               definitions of connector tables, views and functions
 *   catalog-store/                      Flink's file catalog store: which catalogs exist
 *   state/&lt;project&gt;/&lt;model&gt;/         checkpoints/, savepoints/, last-savepoint
 * </pre>
 */
public record FlinkDbtHome(Path root) {

    /** Opens (creating it if needed) the home directory; a clear error when it cannot be written. */
    public static FlinkDbtHome open(Path root, Hints hints) {
        Path absolute = root.toAbsolutePath().normalize();
        FlinkDbtHome home = new FlinkDbtHome(absolute);
        try {
            Files.createDirectories(home.warehouse());
            Files.createDirectories(home.catalog());
            Files.createDirectories(home.catalogStore());
            Files.createDirectories(absolute.resolve("state"));
            Path probe = Files.createTempFile(absolute, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new FlinkDbtException(
                    "flink-dbt home " + absolute + " is not writable ("
                            + (e instanceof AccessDeniedException
                                    ? "permission denied: " + e.getMessage()
                                    : e.toString())
                            + "). It holds the tables, catalog and savepoints of every run.\n"
                            + "Make it writable (chmod -R u+w " + absolute + ") or choose another place: "
                            + hints.set(Option.HOME, "<dir>"),
                    e);
        }
        return home;
    }

    public Path warehouse() {
        return root.resolve("warehouse");
    }

    public Path catalog() {
        return root.resolve("catalog");
    }

    public Path catalogStore() {
        return root.resolve("catalog-store");
    }

    /** The state directories of one project's streaming models. */
    public Path state(String project) {
        return root.resolve("state").resolve(project);
    }

    /** The state directory of one streaming model. */
    public Path state(String project, String model) {
        return state(project).resolve(model);
    }

    public Path checkpoints(String project, String model) {
        return state(project, model).resolve("checkpoints");
    }

    public Path savepoints(String project, String model) {
        return state(project, model).resolve("savepoints");
    }
}
