package io.github.flinkdbt.project;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** How a model exists at run time. */
public enum Materialization {
    /** A view in the project catalog; inlined into every job that reads it. */
    VIEW("view", false, false),
    /** Never created; inlined as a CTE wherever it is referenced. */
    EPHEMERAL("ephemeral", false, false),
    /** A bounded batch job that replaces an Iceberg table. */
    TABLE("table", true, false),
    /** A continuous job; compiled to a plan whose stateful operators carry project UIDs. */
    STREAMING_TABLE("streaming_table", true, true),
    /** A bounded job that adds only the new data to an Iceberg table. */
    INCREMENTAL("incremental", true, false),
    /** A CSV file of the project, loaded into an Iceberg table like a {@code table} model. */
    SEED("seed", true, false),
    /**
     * A {@code {% snapshot %}}: an Iceberg table keeping every version of its query's rows (SCD type
     * 2), each run closing changed versions and adding new ones in one commit.
     */
    SNAPSHOT("snapshot", true, false);

    private final String configName;
    private final boolean materialized;
    private final boolean streaming;

    Materialization(String configName, boolean materialized, boolean streaming) {
        this.configName = configName;
        this.materialized = materialized;
        this.streaming = streaming;
    }

    /** The name used in {@code config(materialized=...)}. */
    public String configName() {
        return configName;
    }

    /** Whether the model writes a table (as opposed to being inlined into its readers). */
    public boolean isMaterialized() {
        return materialized;
    }

    /** Whether the model runs as a continuous job with state. */
    public boolean isStreaming() {
        return streaming;
    }

    public static Optional<Materialization> fromConfig(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(m -> m.configName.equals(wanted)).findFirst();
    }

    /** What a model may configure (seeds are CSV files and snapshots blocks of their own, not a choice of models). */
    public static List<String> configNames() {
        return Arrays.stream(values())
                .filter(m -> m != SEED && m != SNAPSHOT)
                .map(Materialization::configName)
                .toList();
    }
}
