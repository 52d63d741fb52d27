package io.github.flinkdbt.state;

import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.FlinkFiles;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;

/**
 * A savepoint's {@code _metadata}, read without a cluster: for every operator its ID, the UID it
 * was given (Flink 2 keeps it) and how much state it holds. Flink skips operators without state
 * when it restores, so only those with state must find an operator in the new job.
 */
public record SavepointMetadata(URI location, long checkpointId, List<Operator> operators) {

    /** The file of a savepoint's (or retained checkpoint's) directory that describes it. */
    public static final String FILE = "_metadata";

    /** The {@value #FILE} file of the savepoint (or retained checkpoint) in {@code directory}. */
    public static Path file(Path directory) {
        return new Path(directory, FILE);
    }

    /** The savepoint's directory name, as messages show it. */
    public String name() {
        return new Path(location).getName();
    }

    /**
     * @param uid the operator's UID; empty when the savepoint does not say
     * @param stateBytes the operator's state, all subtasks
     * @param hasState whether a restore must map it (state or coordinator state)
     */
    public record Operator(String operatorId, String uid, String name, long stateBytes, boolean hasState) {}

    /** Reads the savepoint (or retained checkpoint) at {@code savepoint}: its directory, or its {@code _metadata}. */
    public static SavepointMetadata read(URI savepoint) {
        Path given = new Path(savepoint);
        Path metadata = given.getName().equals(FILE) ? given : file(given);
        if (!FlinkFiles.exists(metadata)) {
            throw new FlinkDbtException("No savepoint at " + FlinkFiles.display(savepoint)
                    + ": it has no _metadata file.\n" + "Give the savepoint's directory: the one holding _metadata.");
        }
        try (InputStream in = new BufferedInputStream(FlinkFiles.open(metadata))) {
            CheckpointMetadata read = Checkpoints.loadCheckpointMetadata(
                    new DataInputStream(in),
                    SavepointMetadata.class.getClassLoader(),
                    metadata.getParent().toString());
            List<Operator> operators = new ArrayList<>();
            for (OperatorState state : read.getOperatorStates()) {
                operators.add(new Operator(
                        state.getOperatorID().toHexString(),
                        state.getOperatorUid().orElse(""),
                        state.getOperatorName().orElse(""),
                        state.getStateSize(),
                        state.getStateSize() > 0 || state.getCoordinatorState() != null));
            }
            operators.sort(Comparator.comparing(Operator::uid).thenComparing(Operator::operatorId));
            return new SavepointMetadata(metadata.getParent().toUri(), read.getCheckpointId(), List.copyOf(operators));
        } catch (IOException | RuntimeException e) {
            throw new FlinkDbtException(
                    "Cannot read the savepoint " + metadata + ": " + e.getMessage()
                            + "\nIs it a Flink savepoint (written by Flink 1.15 or later)?",
                    e);
        }
    }

    /** The models whose operators the savepoint holds, by the project's UIDs ({@code <model>/...}). */
    public List<String> models() {
        return operators.stream()
                .map(Operator::uid)
                .filter(uid -> uid.contains("/"))
                .map(uid -> uid.substring(0, uid.indexOf('/')))
                .distinct()
                .sorted()
                .toList();
    }
}
