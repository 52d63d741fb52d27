package io.github.flinkdbt.mojo;

import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Parameter;

/** The parameters of the goals that deploy, or look at what was deployed: the ledger and how long to wait. */
abstract class AbstractDeployMojo extends AbstractFlinkDbtMojo {

    /** Where the deployment ledger and its lock live: any URI Flink can write; default {@code ledger/<project>} in the home. */
    @Parameter(property = PropertyNames.LEDGER)
    private String ledger;

    /** Seconds a deployment waits for another one to release the lock before it fails naming it. */
    @Parameter(property = PropertyNames.LOCK_TIMEOUT, defaultValue = "60")
    private int lockTimeout;

    /**
     * Seconds a started job has to pass the health gate: running with every task, its restore verified, a
     * checkpoint completed after it; else it is rolled back.
     */
    @Parameter(property = PropertyNames.HEALTH_TIMEOUT, defaultValue = "300")
    private int healthTimeout;

    /** Seconds a started job must then run without a restart. */
    @Parameter(property = PropertyNames.HEALTH_WINDOW, defaultValue = "5")
    private int healthWindow;

    /** How many savepoints of each model a deployment keeps; it disposes of older ones through the cluster. */
    @Parameter(property = PropertyNames.SAVEPOINTS_TO_KEEP, defaultValue = "3")
    private int savepointsToKeep;

    /**
     * A released bundle ({@code groupId:artifactId:version}) to deploy instead of this build's plans: exactly
     * what was tested and released, resolved from the repositories with its dependencies; recorded in the ledger.
     */
    @Parameter(property = PropertyNames.BUNDLE)
    private String bundle;

    @Override
    protected void configure(Settings.Builder settings, Invocation.Builder invocation) throws MojoExecutionException {
        settings.deploy(new Settings.Deploy(
                ledger,
                lockTimeout,
                healthTimeout,
                healthWindow,
                savepointsToKeep,
                BundleOption.resolve(bundle, project, session, repositorySystem)));
    }
}
