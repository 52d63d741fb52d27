package io.github.flinkdbt.run;

import io.github.flinkdbt.common.BuildLog;
import io.github.flinkdbt.project.Materialization;
import io.github.flinkdbt.project.Model;
import io.github.flinkdbt.project.Project;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/** Prints the first rows of chosen models after a run ({@code -Dflink-dbt.show=a,b}). */
final class ResultPreview {

    static final int ROWS = 5;

    private final RunSession session;
    private final RunFailures failures;
    private final BuildLog log;

    ResultPreview(RunSession session, RunFailures failures, BuildLog log) {
        this.session = session;
        this.failures = failures;
        this.log = log;
    }

    void show(List<String> models, Project project, Map<String, ModelRun> runs) {
        for (String name : models) {
            Model model = project.model(name);
            ModelRun run = runs.get(name);
            if (model == null
                    || run == null
                    || !run.status().equals(ModelRun.SUCCESS)
                    || model.materialization() == Materialization.EPHEMERAL) {
                log.warn("flink-dbt: show: '" + name + "' did not run in this run; nothing to show.");
                continue;
            }
            TableEnvironment batch = session.batch();
            List<String> lines;
            try {
                lines = session.withOptions(
                        batch, Map.of("pipeline.name", "flink-dbt:show:" + name), () -> rows(batch, model));
            } catch (RuntimeException e) {
                // e.g. a Kafka target, which a bounded query cannot read
                log.warn("flink-dbt: show: cannot read " + model.relation().display() + ": " + failures.rootMessage(e));
                continue;
            }
            log.info("flink-dbt: first rows of " + model.relation().display() + ":");
            lines.forEach(line -> log.info("  " + line));
        }
    }

    private static List<String> rows(TableEnvironment batch, Model model) {
        TableResult result =
                batch.executeSql("SELECT * FROM " + model.relation().quoted() + " LIMIT " + ROWS);
        List<String> columns = result.getResolvedSchema().getColumnNames();
        List<List<String>> cells = new ArrayList<>();
        try (CloseableIterator<Row> it = result.collect()) {
            while (it.hasNext()) {
                Row row = it.next();
                List<String> values = new ArrayList<>();
                for (int i = 0; i < row.getArity(); i++) {
                    values.add(String.valueOf(row.getField(i)));
                }
                cells.add(values);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        int[] widths = new int[columns.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = columns.get(i).length();
            for (List<String> row : cells) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(line(columns, widths));
        cells.forEach(row -> lines.add(line(row, widths)));
        if (cells.isEmpty()) {
            lines.add("(no rows)");
        }
        return lines;
    }

    private static String line(List<String> values, int[] widths) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            out.append(i == 0 ? "" : " | ").append(String.format("%-" + widths[i] + "s", values.get(i)));
        }
        return out.toString().stripTrailing();
    }
}
