package io.github.flinkdbt.testing;

import io.github.flinkdbt.api.Command;
import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.IcebergCatalog;
import io.github.flinkdbt.api.Option;
import io.github.flinkdbt.cluster.FlinkCluster;
import io.github.flinkdbt.cluster.JobClasspath;
import io.github.flinkdbt.common.ContextClassLoader;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.home.FlinkDbtHome;
import io.github.flinkdbt.home.IcebergCatalogs;
import io.github.flinkdbt.home.PersistentCatalog;
import io.github.flinkdbt.project.Model;
import io.github.flinkdbt.project.Project;
import io.github.flinkdbt.project.Relation;
import io.github.flinkdbt.project.SourceTable;
import io.github.flinkdbt.run.RunSession;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.internal.TableEnvironmentInternal;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.CatalogDatabaseImpl;
import org.apache.flink.table.catalog.CatalogManager;
import org.apache.flink.table.catalog.GenericInMemoryCatalog;
import org.apache.flink.table.catalog.ObjectIdentifier;
import org.apache.flink.table.functions.UserDefinedFunction;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.CloseableIterator;

/**
 * The TableEnvironments tests run queries from, all submitting to one cluster. Against fixtures,
 * the project's catalogs are empty in-memory catalogs that tests fill with temporary tables and
 * views; against deployed tables, the persistent catalog of the home directory.
 */
final class TestSession {

    /** A query's final rows: a streaming changelog folded (-U/-D take back an earlier +I/+U). */
    record QueryResult(List<String> columns, List<LogicalType> types, List<List<Object>> rows) {}

    private final Project project;
    private final boolean deployed;
    private final FlinkDbtHome home;
    private final IcebergCatalog icebergCatalog;
    private final ClassLoader classLoader;
    private final Hints hints;
    private final Map<String, String> configuration;
    private final Map<String, Class<? extends UserDefinedFunction>> functions;
    private TableEnvironment streaming;
    private TableEnvironment batch;

    TestSession(Project project, TestOptions options, FlinkCluster cluster, ClassLoader classLoader) {
        this.project = project;
        this.deployed = options.deployed();
        this.classLoader = classLoader;
        FlinkDbtHome home = deployed ? FlinkDbtHome.open(options.home(), options.hints()) : null;
        this.home = home;
        this.icebergCatalog = options.settings().icebergCatalog();
        if (deployed) {
            IcebergCatalogs.check(icebergCatalog, options.hints());
        }
        Map<String, String> config = new HashMap<>(RunSession.configuration(
                home,
                cluster,
                JobClasspath.forCluster(
                        cluster,
                        options.classpath(),
                        options.invocation().pluginClasspath(),
                        options.settings().compile().cacheDirectory()),
                options.flinkConfiguration()));
        config.remove("execution.checkpointing.interval"); // bounded test jobs need no checkpoints
        config.put("restart-strategy.type", "none"); // a failing test fails at once
        this.configuration = config;
        this.functions = RunSession.functionClasses(project, classLoader, options.hints());
        this.hints = options.hints();
    }

    TableEnvironment streaming() {
        if (streaming == null) {
            streaming = create(true);
        }
        return streaming;
    }

    TableEnvironment batch() {
        if (batch == null) {
            batch = create(false);
        }
        return batch;
    }

    TableEnvironment environment(boolean streamingMode) {
        return streamingMode ? streaming() : batch();
    }

    ClassLoader classLoader() {
        return classLoader;
    }

    static CatalogManager catalogManager(TableEnvironment environment) {
        return ((TableEnvironmentInternal) environment).getCatalogManager();
    }

    static ObjectIdentifier identifier(Relation relation) {
        return ObjectIdentifier.of(relation.catalog(), relation.database(), relation.name());
    }

    /** Registers {@code table} under {@code relation}, shadowing any catalog table there. */
    void createTemporaryTable(TableEnvironment environment, Relation relation, CatalogBaseTable table) {
        inProjectLoader(() -> {
            catalogManager(environment).createTemporaryTable(table, identifier(relation), false);
            return null;
        });
    }

    void dropTemporary(TableEnvironment environment, Relation relation) {
        CatalogManager catalogs = catalogManager(environment);
        ObjectIdentifier id = identifier(relation);
        if (catalogs.isTemporaryTable(id)) {
            catalogs.dropTemporaryTable(id, true);
        }
    }

    /** Runs a bounded query to its end and folds its changelog into the final rows. */
    QueryResult query(TableEnvironment environment, String sql, String jobName) {
        return inProjectLoader(() -> {
            environment.getConfig().getConfiguration().setString("pipeline.name", jobName);
            TableResult result = environment.sqlQuery(sql).execute();
            List<String> columns = result.getResolvedSchema().getColumnNames();
            List<LogicalType> types = result.getResolvedSchema().getColumnDataTypes().stream()
                    .map(DataType::getLogicalType)
                    .toList();
            Map<List<Object>, Integer> counts = new LinkedHashMap<>();
            try (CloseableIterator<Row> rows = result.collect()) {
                while (rows.hasNext()) {
                    Row row = rows.next();
                    List<Object> fields = new ArrayList<>(row.getArity());
                    for (int i = 0; i < row.getArity(); i++) {
                        fields.add(row.getField(i));
                    }
                    RowKind kind = row.getKind();
                    int delta = kind == RowKind.INSERT || kind == RowKind.UPDATE_AFTER ? 1 : -1;
                    counts.merge(fields, delta, Integer::sum);
                    if (counts.get(fields) == 0) {
                        counts.remove(fields);
                    }
                }
            } catch (Exception e) {
                throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
            List<List<Object>> folded = new ArrayList<>();
            counts.forEach((fields, count) -> {
                for (int i = 0; i < count; i++) {
                    folded.add(fields);
                }
            });
            return new QueryResult(columns, types, folded);
        });
    }

    <T> T inProjectLoader(Supplier<T> action) {
        return ContextClassLoader.call(classLoader, action);
    }

    private TableEnvironment create(boolean streamingMode) {
        EnvironmentSettings.Builder settings = EnvironmentSettings.newInstance()
                .withClassLoader(classLoader)
                .withConfiguration(Configuration.fromMap(configuration));
        return inProjectLoader(() -> {
            TableEnvironment environment = TableEnvironment.create(
                    (streamingMode ? settings.inStreamingMode() : settings.inBatchMode()).build());
            CatalogManager catalogs = catalogManager(environment);
            if (deployed) {
                if (catalogs.getCatalogDescriptor(project.catalog()).isEmpty()) {
                    throw new FlinkDbtException("Nothing of project '" + project.name() + "' is deployed in this home"
                            + " (no catalog '" + project.catalog() + "').\nRun " + hints.command(Command.RUN)
                            + " first, or test against fixtures (" + hints.set(Option.AGAINST, "fixtures") + ").");
                }
                PersistentCatalog.register(environment, project.catalog(), home, icebergCatalog, hints);
            } else {
                databases().forEach((catalog, names) -> {
                    GenericInMemoryCatalog memory =
                            new GenericInMemoryCatalog(catalog, names.iterator().next());
                    environment.registerCatalog(catalog, memory);
                    for (String database : names) {
                        try {
                            memory.createDatabase(database, new CatalogDatabaseImpl(Map.of(), null), true);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                });
            }
            environment.useCatalog(project.catalog());
            functions.forEach(environment::createTemporarySystemFunction);
            return environment;
        });
    }

    /** Every catalog and database the project's models and sources live in. */
    private Map<String, TreeSet<String>> databases() {
        Map<String, TreeSet<String>> databases = new TreeMap<>();
        databases.computeIfAbsent(project.catalog(), c -> new TreeSet<>()).add(project.database());
        for (Model model : project.models().values()) {
            Relation r = model.relation();
            databases.computeIfAbsent(r.catalog(), c -> new TreeSet<>()).add(r.database());
        }
        for (SourceTable source : project.sources()) {
            Relation r = source.relation();
            databases.computeIfAbsent(r.catalog(), c -> new TreeSet<>()).add(r.database());
        }
        return databases;
    }
}
