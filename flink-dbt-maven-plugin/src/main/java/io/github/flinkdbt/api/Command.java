package io.github.flinkdbt.api;

/** What a user runs to get a step done; how it is written is the tool's business: see {@link Hints}. */
public enum Command {
    /** Compiles the project's classes and models. */
    COMPILE,
    /** Compiles, tests and packages the project. */
    PACKAGE,
    /** Everything up to and including the state check. */
    VERIFY,
    /** Runs the project on a cluster. */
    RUN,
    /** Starts the standalone Flink cluster of the home. */
    START_CLUSTER,
    /** Stops it. */
    STOP_CLUSTER,
    /** Deploys the streaming models to a cluster. */
    DEPLOY,
    /** Shows what a deploy would do. */
    PLAN,
    /** Opens the deployment lock of a dead deployer. */
    FORCE_UNLOCK,
    /** Takes the last deployment back. */
    ROLLBACK
}
