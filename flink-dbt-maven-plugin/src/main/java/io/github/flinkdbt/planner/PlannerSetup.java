package io.github.flinkdbt.planner;

import java.util.Map;
import org.apache.flink.table.functions.UserDefinedFunction;

/**
 * What every planner thread's TableEnvironments are made of: the shared catalogs, the current
 * catalog and database, Flink options, the project's functions and its class loader.
 */
record PlannerSetup(
        Map<String, ProjectCatalog> catalogs,
        String currentCatalog,
        String currentDatabase,
        Map<String, String> configuration,
        Map<String, Class<? extends UserDefinedFunction>> functions,
        ClassLoader classLoader) {}
