package io.github.flinkdbt.home;

import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.Option;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.FlinkFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.UUID;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.UnsupportedFileSystemSchemeException;

/**
 * Where everything a run leaves behind lives, outside {@code target/} so that cleaning the build
 * does not delete it: the Iceberg warehouse (the tables), the catalog (sources, views, functions
 * and the catalog store that lets any JVM find them), and the state of streaming jobs
 * (checkpoints, savepoints, the last savepoint of each model). A URI: a directory on this machine
 * ({@code file:}) or on any file system Flink has ({@code s3:}, {@code hdfs:}, …), so that a cluster
 * elsewhere can reach it; every file in it is read and written through Flink's file systems.
 *
 * <pre>
 * home/
 *   warehouse/&lt;database&gt;/&lt;table&gt;/   Iceberg tables (Hadoop catalog)
 *   catalog/&lt;database&gt;/               definitions of connector tables, views and functions
 *   catalog-store/                      Flink's file catalog store: which catalogs exist
 *   state/&lt;project&gt;/&lt;model&gt;/         plan.json, checkpoints/, savepoints/, last-savepoint
 * </pre>
 */
public record FlinkDbtHome(URI root) {

    public FlinkDbtHome {
        root = root.getPath().endsWith("/") ? root : URI.create(root + "/");
    }

    /** Opens (creating it if needed) the home; a clear error when it cannot be written. */
    public static FlinkDbtHome open(URI root, Hints hints) {
        FlinkDbtHome home = new FlinkDbtHome(root);
        try {
            FlinkFiles.fileSystem(new Path(home.root()));
        } catch (UnsupportedFileSystemSchemeException e) {
            throw new FlinkDbtException(
                    "flink-dbt home " + root + ": Flink has no file system for '" + root.getScheme() + ":' here.\n"
                            + "Give a directory, or a URI of a file system Flink has (its plugin or jar on the "
                            + "classpath): " + hints.set(Option.HOME, "<dir|uri>"),
                    e);
        } catch (IOException e) {
            throw notWritable(home, e, hints);
        }
        try {
            FlinkFiles.mkdirs(home.warehouse());
            FlinkFiles.mkdirs(home.catalog());
            FlinkFiles.mkdirs(home.catalogStore());
            FlinkFiles.mkdirs(home.path("state"));
            Path probe = home.path(".write-check-" + UUID.randomUUID());
            FlinkFiles.write(probe, "x", false);
            FlinkFiles.delete(probe);
        } catch (IOException | UncheckedIOException | SecurityException e) {
            throw notWritable(home, e, hints);
        }
        return home;
    }

    private static FlinkDbtException notWritable(FlinkDbtHome home, Exception e, Hints hints) {
        boolean local = "file".equals(home.root().getScheme());
        return new FlinkDbtException(
                "flink-dbt home " + home.display() + " is not writable (" + FlinkDbtException.rootCause(e)
                        + "). It holds the tables, catalog and savepoints of every run.\n"
                        + (local ? "Make it writable (chmod -R u+w " + home.display() + ") or choose" : "Choose")
                        + " another place: " + hints.set(Option.HOME, "<dir>"),
                e);
    }

    /** The home as messages show it: a local directory as a path, anything else as its URI. */
    public String display() {
        return FlinkFiles.display(root);
    }

    public Path warehouse() {
        return path("warehouse");
    }

    public Path catalog() {
        return path("catalog");
    }

    /** Whether a home is there: its catalog store exists. */
    public boolean exists() {
        return FlinkFiles.isDirectory(catalogStore());
    }

    public Path catalogStore() {
        return path("catalog-store");
    }

    /** The state directories of one project's streaming models. */
    public Path state(String project) {
        return new Path(path("state"), project);
    }

    /** The state directory of one streaming model. */
    public Path state(String project, String model) {
        return new Path(state(project), model);
    }

    public Path checkpoints(String project, String model) {
        return new Path(state(project, model), "checkpoints");
    }

    public Path savepoints(String project, String model) {
        return new Path(state(project, model), "savepoints");
    }

    private Path path(String name) {
        return new Path(root.resolve(name));
    }
}
