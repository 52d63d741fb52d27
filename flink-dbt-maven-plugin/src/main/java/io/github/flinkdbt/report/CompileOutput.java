package io.github.flinkdbt.report;

import io.github.flinkdbt.graph.Selection;
import io.github.flinkdbt.plan.PlanUids;
import io.github.flinkdbt.planner.PlannedModel;
import io.github.flinkdbt.planner.PlanningResult;
import io.github.flinkdbt.project.DataTest;
import io.github.flinkdbt.project.Model;
import io.github.flinkdbt.project.Project;
import io.github.flinkdbt.project.SingularTest;
import io.github.flinkdbt.state.Baseline;
import io.github.flinkdbt.state.UidContinuity;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The content of {@code target/flink-dbt/}: {@code compiled/<model>.sql}, {@code plans/<model>.json}
 * for streaming tables, {@code compiled/tests/}, and {@code manifest.json}. With a selection, the
 * previous output of unselected models is kept. The planned models come with their UIDs continued
 * from the baseline; the kept plans of unselected models are continued here ({@link UidContinuity}).
 */
public final class CompileOutput {

    private CompileOutput() {}

    public static Map<String, byte[]> files(
            Project project,
            Selection selection,
            PlanningResult result,
            Map<String, byte[]> previous,
            String pluginVersion,
            String flinkVersion,
            Baseline baseline) {
        Map<String, byte[]> files = new TreeMap<>();
        Set<String> compiled = new TreeSet<>();
        Map<String, PlannedModel> planned = new HashMap<>(result.models());
        for (Model model : project.models().values()) {
            String name = model.name();
            String sqlPath = "compiled/" + name + ".sql";
            String planPath = OutputDirectory.plan(name);
            String incrementalPath = "compiled/" + name + ".incremental.sql";
            if (selection.models().contains(name) && planned.containsKey(name)) {
                files.put(sqlPath, text(model.sql().text()));
                if (model.incrementalSql() != null) {
                    files.put(incrementalPath, text(model.incrementalSql().text()));
                }
                PlannedModel plan = planned.get(name);
                if (plan.plan() != null) {
                    files.put(planPath, plan.plan().json().getBytes(StandardCharsets.UTF_8));
                }
                compiled.add(name);
            } else if (!selection.everything() && previous.containsKey(sqlPath)) {
                files.put(sqlPath, previous.get(sqlPath));
                if (previous.containsKey(incrementalPath)) {
                    files.put(incrementalPath, previous.get(incrementalPath));
                }
                if (previous.containsKey(planPath) && model.materialization().isStreaming()) {
                    files.put(planPath, previous.get(planPath));
                    PlannedModel known = planned.get(name);
                    if (known == null || known.plan() == null) {
                        String json = new String(previous.get(planPath), StandardCharsets.UTF_8);
                        planned.put(
                                name,
                                new PlannedModel(
                                        name,
                                        model.materialization(),
                                        known == null ? List.of() : known.columns(),
                                        null,
                                        UidContinuity.apply(
                                                PlanUids.assign(name, json),
                                                baseline.plans().get(name)),
                                        "",
                                        true));
                    }
                }
                compiled.add(name);
            }
        }
        for (SingularTest test : project.singularTests()) {
            files.put("compiled/tests/" + test.name() + ".sql", text(test.sql().text()));
        }
        for (DataTest test : project.dataTests()) {
            if (test.sql() != null) {
                files.put(
                        "compiled/tests/" + test.uniqueName() + ".sql",
                        text(test.sql().text()));
            }
        }
        files.put(
                "manifest.json",
                Manifest.write(project, planned, compiled, pluginVersion, flinkVersion)
                        .getBytes(StandardCharsets.UTF_8));
        return files;
    }

    private static byte[] text(String sql) {
        return (sql + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
