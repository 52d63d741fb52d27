package io.github.flinkdbt.testing;

import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.common.ProblemsException;
import io.github.flinkdbt.planner.ColumnInfo;
import io.github.flinkdbt.planner.PlannedModel;
import io.github.flinkdbt.planner.PlanningResult;
import io.github.flinkdbt.project.ColumnDefinition;
import io.github.flinkdbt.project.Materialization;
import io.github.flinkdbt.project.Model;
import io.github.flinkdbt.project.Project;
import io.github.flinkdbt.project.Relation;
import io.github.flinkdbt.project.RenderOverrides;
import io.github.flinkdbt.project.SourceTable;
import io.github.flinkdbt.project.UnitTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.catalog.CatalogTable;

/**
 * dbt 1.8 unit tests: the model's query alone, its inputs replaced by the given rows as bounded
 * tables, run to the end of its input (a streaming model in streaming mode, its changelog folded)
 * and compared with the expected rows.
 */
final class UnitTests {

    /** An input table of a prepared test: where it goes, how it is defined, its rows. */
    private record Input(
            Relation relation, String label, SourceTable source, List<ColumnInfo> modelColumns, FixtureRows rows) {}

    /** A unit test whose fixtures were read and checked. */
    record Prepared(
            UnitTest test, Model model, boolean streaming, String sql, List<Input> inputs, FixtureRows expect) {}

    private final Project project;
    private final PlanningResult planning;
    private final Path fixturesDir;
    private final String fixturesDisplay;

    UnitTests(Project project, PlanningResult planning) {
        this.project = project;
        this.planning = planning;
        this.fixturesDir = project.layout().fixturesDir();
        this.fixturesDisplay = project.layout().display(fixturesDir);
    }

    /** Reads and checks every test's fixtures; problems name the schema file and line. */
    List<Prepared> prepare(List<UnitTest> tests, Function<RenderOverrides, Project> rendered, Problems problems) {
        List<Prepared> prepared = new ArrayList<>();
        for (UnitTest test : tests) {
            Prepared one = prepare(test, rendered, problems);
            if (one != null) {
                prepared.add(one);
            }
        }
        return prepared;
    }

    private Prepared prepare(UnitTest test, Function<RenderOverrides, Project> rendered, Problems problems) {
        Model model = project.model(test.model());
        PlannedModel planned = planning.models().get(test.model());
        if (model == null || planned == null) {
            return null; // reported by the loader or the planner
        }
        String label = "Unit test '" + test.name() + "'";
        Set<String> inputRefs = new LinkedHashSet<>();
        Set<String> inputSources = new LinkedHashSet<>();
        model.inputs(project.models(), inputRefs, inputSources);
        // a source over a seed's or model's table is given as the source, not as a ref
        inputSources.stream()
                .map(project::source)
                .filter(source -> source != null && source.node() != null)
                .forEach(source -> inputRefs.remove(source.node()));
        List<Input> inputs = new ArrayList<>();
        Set<String> given = new LinkedHashSet<>();
        for (UnitTest.Input input : test.given()) {
            if (input.namesThis()) {
                if (model.materialization() != Materialization.INCREMENTAL) {
                    problems.add(
                            input.position(),
                            label + " gives this, the current table of an incremental model; '" + model.name() + "' is "
                                    + model.materialization().configName() + ".",
                            "Remove the input: this entry.");
                    continue;
                }
                FixtureRows rows = FixtureRows.of(
                        input.data(),
                        label + ": given this",
                        input.position(),
                        fixturesDir,
                        fixturesDisplay,
                        planned.columnNames(),
                        "model '" + model.name() + "'",
                        problems);
                if (rows != null) {
                    inputs.add(new Input(model.relation(), input.input(), null, planned.columns(), rows));
                }
            } else if (input.refName() != null) {
                Model upstream = project.model(input.refName());
                if (upstream != null && upstream.materialization() == Materialization.EPHEMERAL) {
                    problems.add(
                            input.position(),
                            label + " gives " + input.input() + ", an ephemeral model that is " + "inlined into '"
                                    + model.name() + "'.",
                            "Give the inputs it reads instead.");
                    continue;
                }
                PlannedModel columns = planning.models().get(input.refName());
                if (upstream == null || columns == null) {
                    continue; // reported by the loader
                }
                FixtureRows rows = FixtureRows.of(
                        input.data(),
                        label + ": given " + input.input(),
                        input.position(),
                        fixturesDir,
                        fixturesDisplay,
                        columns.columnNames(),
                        "model '" + input.refName() + "'",
                        problems);
                given.add("ref:" + input.refName());
                if (rows != null) {
                    inputs.add(new Input(upstream.relation(), input.input(), null, columns.columns(), rows));
                }
            } else {
                SourceTable source = project.source(input.sourceName());
                if (source == null) {
                    continue; // reported by the loader
                }
                PlannedModel writer =
                        source.node() == null ? null : planning.models().get(source.node());
                if (source.node() != null && writer == null) {
                    continue; // its writer did not plan: reported
                }
                List<String> columns = writer != null
                        ? writer.columnNames()
                        : source.columns().stream()
                                .filter(c -> c.kind() != ColumnDefinition.Kind.COMPUTED)
                                .map(c -> c.name())
                                .toList();
                FixtureRows rows = FixtureRows.of(
                        input.data(),
                        label + ": given " + input.input(),
                        input.position(),
                        fixturesDir,
                        fixturesDisplay,
                        columns,
                        "source " + source.uniqueName(),
                        problems);
                given.add("source:" + input.sourceName());
                if (rows != null) {
                    inputs.add(
                            writer != null
                                    ? new Input(source.relation(), input.input(), null, writer.columns(), rows)
                                    : new Input(source.relation(), input.input(), source, null, rows));
                }
            }
        }
        for (String ref : inputRefs) {
            if (!given.contains("ref:" + ref)) {
                problems.add(
                        test.position(),
                        label + " gives no rows for ref('" + ref + "'), which model '" + model.name() + "' reads.",
                        "Add under given:\n  - input: ref('" + ref + "')\n    rows: []");
            }
        }
        for (String source : inputSources) {
            if (!given.contains("source:" + source)) {
                problems.add(
                        test.position(),
                        label + " gives no rows for source('" + source.replace(".", "', '") + "'), which model '"
                                + model.name() + "' reads.",
                        "Add under given:\n  - input: source('" + source.replace(".", "', '") + "')\n    rows: []");
            }
        }
        FixtureRows expect = FixtureRows.of(
                test.expect(),
                label + ": expect",
                test.position(),
                fixturesDir,
                fixturesDisplay,
                planned.columnNames(),
                "model '" + model.name() + "'",
                problems);
        String sql = sql(test, model, rendered, problems);
        if (expect == null || sql == null) {
            return null;
        }
        return new Prepared(
                test, model, model.materialization() == Materialization.STREAMING_TABLE, sql, inputs, expect);
    }

    /** The model's query as the test renders it: other vars, environment or macros, or the incremental variant. */
    private String sql(UnitTest test, Model model, Function<RenderOverrides, Project> rendered, Problems problems) {
        Object macros = test.overrides().get("macros");
        boolean incremental = macros instanceof Map<?, ?> m && Boolean.TRUE.equals(asBoolean(m.get("is_incremental")));
        Model renderedModel = model;
        RenderOverrides overrides = test.renderOverrides();
        if (!overrides.isEmpty()) {
            if (rendered == null) {
                problems.add(
                        test.position(),
                        "Unit test '" + test.name()
                                + "': overrides of vars, env_vars or macros are not available here.",
                        null);
                return null;
            }
            try {
                renderedModel = rendered.apply(overrides).model(model.name());
            } catch (ProblemsException e) {
                problems.addAll(e.problems());
                return null;
            }
        }
        if (incremental) {
            if (renderedModel.incrementalSql() == null) {
                problems.add(
                        test.position(),
                        "Unit test '" + test.name() + "' sets is_incremental, but '" + model.name()
                                + "' is not an incremental model.",
                        "Remove overrides: macros: is_incremental.");
                return null;
            }
            return renderedModel.incrementalSql().text();
        }
        return renderedModel.sql().text();
    }

    private static Boolean asBoolean(Object value) {
        return value == null ? null : Boolean.valueOf(String.valueOf(value).trim());
    }

    /** Runs one prepared test on the session's cluster. */
    TestResult run(Prepared prepared, TestSession session, FixtureTables fixtures, Path workDirectory) {
        UnitTest test = prepared.test();
        long start = System.currentTimeMillis();
        TableEnvironment environment = session.environment(prepared.streaming());
        Path directory = workDirectory.resolve("unit").resolve(test.name());
        List<Relation> created = new ArrayList<>();
        String where = test.position().toString();
        try {
            int n = 0;
            for (Input input : prepared.inputs()) {
                Path file = directory.resolve((n++) + ".json");
                CatalogTable table;
                if (input.source() != null) {
                    Problems problems = new Problems();
                    table = fixtures.source(input.source(), file, problems);
                    if (table == null) {
                        throw new IllegalStateException(problems.sorted().get(0).message());
                    }
                } else {
                    table = fixtures.model(input.modelColumns(), file);
                }
                created.add(input.relation());
                fixtures.create(
                        environment, input.relation(), table, file, input.rows().resolved(session));
            }
            FixtureRows expect = prepared.expect().resolved(session);
            TestSession.QueryResult actual =
                    session.query(environment, prepared.sql(), "flink-dbt:unit-test:" + test.name());
            RowComparison.Diff diff = RowComparison.compare(expect, actual);
            long millis = System.currentTimeMillis() - start;
            if (diff.matches()) {
                return new TestResult(test.name(), "unit", test.model(), TestResult.PASS, "", 0, millis, where);
            }
            return new TestResult(
                    test.name(),
                    "unit",
                    test.model(),
                    TestResult.FAIL,
                    "rows of '" + test.model() + "' differ from expect: " + diff.describe(),
                    diff.missing().size() + diff.unexpected().size(),
                    millis,
                    where);
        } catch (RuntimeException e) {
            return new TestResult(
                    test.name(),
                    "unit",
                    test.model(),
                    TestResult.ERROR,
                    TestFailures.describe(e),
                    0,
                    System.currentTimeMillis() - start,
                    where);
        } finally {
            created.forEach(relation -> session.dropTemporary(environment, relation));
        }
    }
}
