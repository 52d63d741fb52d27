package io.github.flinkdbt.api;

/**
 * The options a user can set that messages point to. How an option is written (a Maven property,
 * a CLI flag) is the tool's business: see {@link Hints}.
 */
public enum Option {
    PROJECT_DIR,
    VARS,
    SELECT,
    EXCLUDE,
    BASELINE,
    SAVEPOINT,
    HOME,
    /** The settings.xml server with a remote cluster's credentials and trust store. */
    SERVER_ID,
    /** The Iceberg catalog's properties (type, URI, warehouse). */
    ICEBERG_CATALOG,
    /** The settings.xml server with the Iceberg catalog's secrets. */
    CATALOG_SERVER_ID,
    FULL_REFRESH,
    REST_PORT,
    AGAINST,
    AS_OF,
    /** Skips flink-dbt's tests only. */
    SKIP_TESTS,
    /** The build tool's own switch that skips every test. */
    SKIP_ALL_TESTS,
    FORK,
    /** Where run, tests and deploy go: embedded or remote. */
    TARGET,
    /** The REST address of a remote cluster. */
    REST_URL,
    /** Where the deployment ledger and its lock live. */
    LEDGER,
    LOCK_TIMEOUT,
    HEALTH_TIMEOUT,
    /** How many savepoints deploy keeps per model. */
    SAVEPOINTS_TO_KEEP,
    /** A released bundle to deploy instead of the build's plans. */
    BUNDLE,
    PLANNER_JVM_ARGS,
    RUN_JVM_ARGS,
    TEST_JVM_ARGS,
    DOCS_PORT
}
