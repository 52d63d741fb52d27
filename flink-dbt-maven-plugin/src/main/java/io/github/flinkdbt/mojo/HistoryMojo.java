package io.github.flinkdbt.mojo;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Prints every deployment in the ledger, oldest first: its number, when, how it ended, who deployed
 * it from which git commit, and per model what it did.
 */
@Mojo(name = "history", threadSafe = true)
public class HistoryMojo extends AbstractDeployMojo {

    @Override
    protected void run(Settings settings, Invocation invocation) {
        FlinkDbt.deployHistory(settings, invocation);
    }
}
