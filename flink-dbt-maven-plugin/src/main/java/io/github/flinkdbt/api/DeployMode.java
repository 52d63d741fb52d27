package io.github.flinkdbt.api;

/** What a run of the deployer does: the goals {@code plan}, {@code deploy} and {@code rollback}. */
public enum DeployMode {
    /** Prints the actions a deployment would take; changes nothing. */
    PLAN,
    /** Takes the streaming models to the plans of the build. */
    DEPLOY,
    /** Takes the models the last deployment changed back to their previous plans, from the savepoints taken then. */
    ROLLBACK
}
