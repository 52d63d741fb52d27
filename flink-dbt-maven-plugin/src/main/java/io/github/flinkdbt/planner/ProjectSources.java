package io.github.flinkdbt.planner;

import io.github.flinkdbt.api.Command;
import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.common.Problem;
import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.project.FunctionDefinition;
import io.github.flinkdbt.project.Project;
import io.github.flinkdbt.project.SourceTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Future;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.ObjectIdentifier;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.ResolvedCatalogTable;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.functions.UserDefinedFunction;

/**
 * Makes a project's sources and functions known to the planner threads, before any model is
 * planned. A source that is new or changed since it was last checked is planned on its own (a scan
 * of it), so a wrong type, option or missing connector is reported at the source, once.
 */
final class ProjectSources {

    private ProjectSources() {}

    /** Registers every source; validates new or changed ones by planning a scan of each. */
    static boolean register(
            Project project,
            PlannerPool pool,
            TableDefinitions definitions,
            PlanCache cache,
            Map<String, String> sourceKeys,
            Hints hints,
            Problems problems) {
        Set<String> validated = cache.validatedSources();
        List<SourceTable> toCheck = new ArrayList<>();
        List<ObjectIdentifier> registered = new ArrayList<>();
        boolean ok = true;
        for (SourceTable source : project.sources()) {
            if (project.brokenSources().contains(source.uniqueName())) {
                continue;
            }
            if (source.overCatalogTable()) {
                // a seed's or model's table is registered when it is planned; another is created here
                ok &= source.node() != null || registerCatalogTable(source, pool, definitions, problems);
                continue;
            }
            CatalogTable table = definitions.source(source, pool.classLoader(), problems);
            if (table == null) {
                ok = false;
                continue;
            }
            pool.catalog(source.relation().catalog())
                    .put(
                            new ObjectPath(
                                    source.relation().database(),
                                    source.relation().name()),
                            table);
            registered.add(ObjectIdentifier.of(
                    source.relation().catalog(),
                    source.relation().database(),
                    source.relation().name()));
            if (!validated.contains(sourceKeys.get(source.uniqueName()))) {
                toCheck.add(source);
            }
        }
        if (!ok) {
            return false;
        }
        pool.configure(new PlannerSetup(
                project.catalog(), functions(project, pool.classLoader(), hints, problems), List.copyOf(registered)));
        Future<List<Problem>> check = pool.submit(() -> {
            List<Problem> found = new ArrayList<>();
            PlannerSession session = pool.session();
            for (SourceTable source : toCheck) {
                try {
                    session.environment(false)
                            .sqlQuery("SELECT * FROM " + source.relation().quoted())
                            .explain();
                } catch (RuntimeException e) {
                    found.addAll(sourceProblems(source, e));
                }
            }
            return found;
        });
        List<Problem> found = PlannerPool.await(check);
        problems.addAll(found);
        if (!found.isEmpty()) {
            return false;
        }
        Set<String> all = new TreeSet<>(validated);
        project.sources().stream()
                .filter(s -> !project.brokenSources().contains(s.uniqueName()))
                .forEach(s -> all.add(sourceKeys.get(s.uniqueName())));
        cache.storeValidatedSources(all);
        return true;
    }

    private static boolean registerCatalogTable(
            SourceTable source, PlannerPool pool, TableDefinitions definitions, Problems problems) {
        if (source.columns().isEmpty()) {
            problems.add(
                    source.position(),
                    "Source '" + source.uniqueName() + "' reads "
                            + source.relation().display() + ", whose columns are not known.",
                    "List them under columns: with a data_type each, or compile where the catalog that holds the "
                            + "table can be read.");
            return false;
        }
        CatalogTable table = definitions.catalogTable(source, pool.classLoader(), problems);
        if (table == null) {
            return false;
        }
        ObjectPath path =
                new ObjectPath(source.relation().database(), source.relation().name());
        ResolvedSchema schema = TableDefinitions.resolve(table);
        pool.factory().createIcebergTable(path, table, schema);
        pool.catalog(source.relation().catalog()).put(path, new ResolvedCatalogTable(table, schema));
        return true;
    }

    private static List<Problem> sourceProblems(SourceTable source, RuntimeException e) {
        Optional<UnsupportedOptions> unsupported = UnsupportedOptions.in(e);
        if (unsupported.isPresent()) {
            return unsupported.get().problems("Source '" + source.uniqueName() + "'", source::positionOf);
        }
        String message = PlanningErrors.message(e);
        String hint = null;
        if (PlanningErrors.anyCauseContains(e, "Could not find any factory for identifier")) {
            String connector = source.connectorProperties().getOrDefault("connector", "?");
            message = "Source '" + source.uniqueName() + "': no connector '" + connector + "' on the classpath.";
            hint = PlanningErrors.CONNECTOR_HINT;
        } else {
            message = "Source '" + source.uniqueName() + "': " + message;
        }
        return List.of(Problem.at(source.position(), message, hint));
    }

    private static Map<String, Class<? extends UserDefinedFunction>> functions(
            Project project, ClassLoader classLoader, Hints hints, Problems problems) {
        Map<String, Class<? extends UserDefinedFunction>> functions = new TreeMap<>();
        for (FunctionDefinition function : project.functions()) {
            try {
                Class<?> type = Class.forName(function.className(), false, classLoader);
                if (!UserDefinedFunction.class.isAssignableFrom(type)) {
                    problems.add(
                            function.position(),
                            "Function '" + function.name() + "': " + function.className() + " is not a Flink function.",
                            "Extend ScalarFunction, TableFunction or AggregateFunction.");
                    continue;
                }
                functions.put(function.name(), type.asSubclass(UserDefinedFunction.class));
            } catch (ClassNotFoundException | LinkageError e) {
                problems.add(
                        function.position(),
                        "Function '" + function.name() + "': class " + function.className()
                                + " is not on the project's classpath.",
                        "Put it in src/main/java and build with " + hints.command(Command.COMPILE)
                                + " (models are validated after Java compilation), or add the jar that has it as a dependency.");
            }
        }
        return functions;
    }
}
