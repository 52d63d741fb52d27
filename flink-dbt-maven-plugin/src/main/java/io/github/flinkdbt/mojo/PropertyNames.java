package io.github.flinkdbt.mojo;

import io.github.flinkdbt.api.Option;

/**
 * Every user property of the plugin, declared once: the goals' {@code @Parameter} annotations use
 * these, and so does every message that tells the user what to set ({@link MavenHints}).
 */
final class PropertyNames {

    static final String PREFIX = "flink-dbt.";
    static final String PROJECT_DIR = "flink-dbt.projectDir";
    static final String OUTPUT_DIRECTORY = "flink-dbt.outputDirectory";
    static final String CACHE_DIRECTORY = "flink-dbt.cacheDirectory";
    static final String USE_CACHE = "flink-dbt.useCache";
    static final String CATALOG = "flink-dbt.catalog";
    static final String DATABASE = "flink-dbt.database";
    static final String TARGET = "flink-dbt.target";
    static final String VARS = "flink-dbt.vars";
    /** {@code -Dflink-dbt.vars.<name>=<value>} sets one variable. */
    static final String VAR_PREFIX = "flink-dbt.vars.";
    /** {@code -Dflink-dbt.conf.<flink option>=<value>} sets one Flink option. */
    static final String CONF_PREFIX = "flink-dbt.conf.";

    static final String SELECT = "flink-dbt.select";
    static final String EXCLUDE = "flink-dbt.exclude";
    static final String FORK = "flink-dbt.fork";
    static final String JVM_ARGS = "flink-dbt.jvmArgs";
    static final String THREADS = "flink-dbt.threads";
    static final String HOME = "flink-dbt.home";
    static final String BASELINE = "flink-dbt.baseline";
    static final String BUNDLE = "flink-dbt.bundle";
    static final String SKIP = "flink-dbt.skip";
    static final String PRINT_DAG = "flink-dbt.printDag";
    static final String REST_PORT = "flink-dbt.restPort";
    static final String FULL_REFRESH = "flink-dbt.fullRefresh";
    static final String KEEP_RUNNING = "flink-dbt.keepRunning";
    static final String SHOW = "flink-dbt.show";
    static final String SKIP_TESTS = "flink-dbt.skipTests";
    static final String RUN_JVM_ARGS = "flink-dbt.runJvmArgs";
    static final String AGAINST = "flink-dbt.against";
    static final String AS_OF = "flink-dbt.asOf";
    static final String REPORTS_DIRECTORY = "flink-dbt.reportsDirectory";
    static final String TEST_JVM_ARGS = "flink-dbt.testJvmArgs";
    static final String SAVEPOINT = "flink-dbt.savepoint";
    static final String TASK_MANAGERS = "flink-dbt.taskManagers";
    static final String SLOTS = "flink-dbt.slots";
    static final String STOP_TIMEOUT = "flink-dbt.stopTimeout";
    static final String REST_URL = "flink-dbt.restUrl";
    static final String SERVER_ID = "flink-dbt.serverId";
    static final String CATALOG_SERVER_ID = "flink-dbt.catalogServerId";
    static final String LEDGER = "flink-dbt.ledger";
    static final String LOCK_TIMEOUT = "flink-dbt.lockTimeout";
    static final String HEALTH_TIMEOUT = "flink-dbt.healthTimeout";
    static final String HEALTH_WINDOW = "flink-dbt.healthWindow";
    static final String SAVEPOINTS_TO_KEEP = "flink-dbt.savepointsToKeep";
    static final String DOCS_DIRECTORY = "flink-dbt.docsDirectory";
    static final String SERVE = "flink-dbt.serve";
    static final String DOCS_PORT = "flink-dbt.docsPort";
    /** Not a property: a map set in the POM only. */
    static final String ICEBERG_CATALOG = "icebergCatalog";
    /** Maven's own switch: skip running tests. */
    static final String MAVEN_SKIP_TESTS = "skipTests";
    /** Maven's own switch: skip compiling and running tests. */
    static final String MAVEN_TEST_SKIP = "maven.test.skip";

    private PropertyNames() {}

    /** The property that sets {@code option}. */
    static String of(Option option) {
        return switch (option) {
            case PROJECT_DIR -> PROJECT_DIR;
            case VARS -> VARS;
            case SELECT -> SELECT;
            case EXCLUDE -> EXCLUDE;
            case BASELINE -> BASELINE;
            case SAVEPOINT -> SAVEPOINT;
            case HOME -> HOME;
            case SERVER_ID -> SERVER_ID;
            case CATALOG_SERVER_ID -> CATALOG_SERVER_ID;
            case TARGET -> TARGET;
            case REST_URL -> REST_URL;
            case LEDGER -> LEDGER;
            case LOCK_TIMEOUT -> LOCK_TIMEOUT;
            case HEALTH_TIMEOUT -> HEALTH_TIMEOUT;
            case SAVEPOINTS_TO_KEEP -> SAVEPOINTS_TO_KEEP;
            case BUNDLE -> BUNDLE;
            case ICEBERG_CATALOG -> ICEBERG_CATALOG;
            case FULL_REFRESH -> FULL_REFRESH;
            case REST_PORT -> REST_PORT;
            case AGAINST -> AGAINST;
            case AS_OF -> AS_OF;
            case SKIP_TESTS -> SKIP_TESTS;
            case SKIP_ALL_TESTS -> MAVEN_SKIP_TESTS;
            case FORK -> FORK;
            case PLANNER_JVM_ARGS -> JVM_ARGS;
            case RUN_JVM_ARGS -> RUN_JVM_ARGS;
            case TEST_JVM_ARGS -> TEST_JVM_ARGS;
            case DOCS_PORT -> DOCS_PORT;
        };
    }
}
