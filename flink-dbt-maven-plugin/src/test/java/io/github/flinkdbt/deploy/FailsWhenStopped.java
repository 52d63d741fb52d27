package io.github.flinkdbt.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * A project function for {@link DeployTest}: passes its value through and, while a marker file
 * exists, fails its task as the task closes. A job stopped with a savepoint then completes the
 * savepoint and fails after it, as a sink failing to commit would: Flink restarts the job.
 */
public class FailsWhenStopped extends ScalarFunction {

    private static final long serialVersionUID = 1L;

    private transient String marker;

    public Long eval(Long value, String marker) {
        this.marker = marker;
        return value;
    }

    @Override
    public void close() {
        if (marker != null && Files.exists(Path.of(marker))) {
            throw new IllegalStateException("fails as it closes while " + marker + " exists");
        }
    }
}
