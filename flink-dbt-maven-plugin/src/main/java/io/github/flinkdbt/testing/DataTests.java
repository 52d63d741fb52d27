package io.github.flinkdbt.testing;

import io.github.flinkdbt.common.BuildLog;
import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.planner.RuntimeDefinitions;
import io.github.flinkdbt.project.DataTest;
import io.github.flinkdbt.project.Materialization;
import io.github.flinkdbt.project.Model;
import io.github.flinkdbt.project.Project;
import io.github.flinkdbt.project.SingularTest;
import io.github.flinkdbt.project.SnapshotConfig;
import io.github.flinkdbt.project.SnapshotSql;
import io.github.flinkdbt.project.SourceTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.catalog.CatalogTable;

/**
 * Data tests (generic and singular): a bounded query whose rows are the failures. Against
 * fixtures, every model is a view over the source fixtures ({@code sources/<source>/<table>.csv}),
 * and a test reading a streaming model runs in streaming mode with its changelog folded; against
 * deployed tables, a batch read of the persistent catalog (at {@code asOf} when given).
 */
final class DataTests {

    private static final int SHOWN_ROWS = 5;

    private final Project project;
    private final List<String> modelOrder;
    private final TestSession session;
    private final FixtureTables fixtures;
    private final boolean deployed;
    private final Path workDirectory;
    private final BuildLog log;
    private final Set<TableEnvironment> prepared = new HashSet<>();
    private final Set<String> warned = new HashSet<>();

    DataTests(
            Project project,
            List<String> modelOrder,
            TestSession session,
            FixtureTables fixtures,
            boolean deployed,
            Path workDirectory,
            BuildLog log) {
        this.project = project;
        this.modelOrder = modelOrder;
        this.session = session;
        this.fixtures = fixtures;
        this.deployed = deployed;
        this.workDirectory = workDirectory;
        this.log = log;
    }

    TestResult run(DataTest test) {
        String where = test.position().toString();
        if (test.sql() == null) {
            return new TestResult(
                    test.uniqueName(),
                    "data",
                    test.attachedTo(),
                    TestResult.ERROR,
                    "the test has no query (see the problems reported at compile time)",
                    0,
                    0,
                    where);
        }
        return run(
                test.uniqueName(), "data", test.attachedTo(), test.sql().text(), test.refs(), test.failsBuild(), where);
    }

    TestResult run(SingularTest test) {
        return run(
                test.name(),
                "singular",
                test.name(),
                test.sql().text(),
                test.refs(),
                true,
                test.position().toString());
    }

    private TestResult run(
            String name, String kind, String model, String sql, List<String> reads, boolean error, String where) {
        long start = System.currentTimeMillis();
        try {
            TableEnvironment environment = deployed ? session.batch() : session.environment(readsStreaming(reads));
            prepare(environment);
            TestSession.QueryResult result = session.query(environment, sql, "flink-dbt:data-test:" + name);
            long millis = System.currentTimeMillis() - start;
            int failures = result.rows().size();
            if (failures == 0) {
                return new TestResult(name, kind, model, TestResult.PASS, "", 0, millis, where);
            }
            StringBuilder message = new StringBuilder()
                    .append(failures)
                    .append(failures == 1 ? " failing row" : " failing rows")
                    .append("\n    ")
                    .append(String.join(" | ", result.columns()));
            for (List<Object> row : result.rows().subList(0, Math.min(SHOWN_ROWS, failures))) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < row.size(); i++) {
                    line.append(i == 0 ? "" : " | ")
                            .append(RowComparison.canonical(
                                    row.get(i), result.types().get(i)));
                }
                message.append("\n    ").append(line);
            }
            if (failures > SHOWN_ROWS) {
                message.append("\n    ... ").append(failures - SHOWN_ROWS).append(" more");
            }
            return new TestResult(
                    name,
                    kind,
                    model,
                    error ? TestResult.FAIL : TestResult.WARN,
                    message.toString(),
                    failures,
                    millis,
                    where);
        } catch (RuntimeException e) {
            return new TestResult(
                    name,
                    kind,
                    model,
                    TestResult.ERROR,
                    TestFailures.describe(e),
                    0,
                    System.currentTimeMillis() - start,
                    where);
        }
    }

    /** Whether a test reading {@code reads} sees a streaming model (directly or upstream). */
    private boolean readsStreaming(List<String> reads) {
        Deque<String> pending = new ArrayDeque<>(reads);
        Set<String> seen = new HashSet<>();
        while (!pending.isEmpty()) {
            Model model = project.model(pending.pop());
            if (model == null || !seen.add(model.name())) {
                continue;
            }
            if (model.materialization() == Materialization.STREAMING_TABLE) {
                return true;
            }
            pending.addAll(model.refs());
        }
        return false;
    }

    /** Against fixtures: sources as fixture tables and every model as a view, once per environment. */
    private void prepare(TableEnvironment environment) {
        if (deployed || !prepared.add(environment)) {
            return;
        }
        Path fixturesDir = project.layout().fixturesDir();
        for (SourceTable source : project.sources()) {
            if (source.node() != null) {
                continue; // the seed's or model's own view below
            }
            Path csv =
                    fixturesDir.resolve("sources").resolve(source.sourceName()).resolve(source.name() + ".csv");
            String display = project.layout().display(csv);
            Problems problems = new Problems();
            if (Files.isRegularFile(csv)) {
                FixtureRows rows = FixtureRows.csv(csv, display, problems);
                Path file = workDirectory.resolve("sources").resolve(source.uniqueName() + ".json");
                CatalogTable table = rows == null ? null : fixtures.source(source, file, problems);
                problems.throwIfAny();
                fixtures.create(environment, source.relation(), table, file, rows);
            } else if (bounded(source.connectorProperties())) {
                CatalogTable table = RuntimeDefinitions.source(source, session.classLoader(), problems);
                problems.throwIfAny();
                session.createTemporaryTable(environment, source.relation(), table);
            } else {
                if (warned.add(source.uniqueName())) {
                    log.warn(
                            "flink-dbt: source " + source.uniqueName() + " has no fixture; data tests read it as empty."
                                    + " Add " + display + " (CSV with a header line).");
                }
                Path file = workDirectory.resolve("sources").resolve(source.uniqueName() + ".json");
                CatalogTable table = fixtures.source(source, file, problems);
                problems.throwIfAny();
                fixtures.create(environment, source.relation(), table, file, FixtureRows.EMPTY);
            }
        }
        for (String name : modelOrder) {
            Model model = project.model(name);
            if (model == null || model.materialization() == Materialization.EPHEMERAL) {
                continue;
            }
            // a snapshot as its first run would write it: every row a current version
            String query = model.materialization() == Materialization.SNAPSHOT
                    ? SnapshotSql.firstRun(model.sql().text(), SnapshotConfig.of(model.config()))
                    : model.sql().text();
            String sql = "CREATE TEMPORARY VIEW " + model.relation().quoted() + " AS\n" + query;
            session.inProjectLoader(() -> environment.executeSql(sql));
        }
    }

    /** Sources that end by themselves: datagen with a row count, files not monitored. */
    private static boolean bounded(Map<String, String> options) {
        String connector = options.getOrDefault("connector", "");
        return (connector.equals("datagen") && options.containsKey("number-of-rows"))
                || (connector.equals("filesystem") && !options.containsKey("source.monitor-interval"));
    }
}
