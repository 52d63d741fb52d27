package io.github.flinkdbt.planner;

import java.util.List;
import java.util.Map;
import org.apache.flink.table.catalog.ObjectIdentifier;
import org.apache.flink.table.functions.UserDefinedFunction;

/**
 * What planner sessions need to know about the project, once it is read: the current catalog,
 * the project's functions, and the sources each session resolves for itself.
 */
record PlannerSetup(
        String currentCatalog,
        Map<String, Class<? extends UserDefinedFunction>> functions,
        List<ObjectIdentifier> sources) {}
