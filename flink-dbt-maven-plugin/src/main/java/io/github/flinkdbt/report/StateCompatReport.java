package io.github.flinkdbt.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.flinkdbt.common.AtomicFiles;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.Json;
import io.github.flinkdbt.state.ModelVerdict;
import io.github.flinkdbt.state.OperatorCheck;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code check-state-compat}'s output: {@code state-compat.json} (for tools), {@code state-compat.md}
 * (for people) and the console table.
 */
public final class StateCompatReport {

    public static final String JSON = "state-compat.json";
    public static final String MARKDOWN = "state-compat.md";

    private StateCompatReport() {}

    public static void write(Path outputDirectory, String against, List<ModelVerdict> verdicts) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("baseline", against);
        ArrayNode models = root.putArray("models");
        for (ModelVerdict verdict : verdicts) {
            ObjectNode model = models.addObject();
            model.put("name", verdict.name());
            model.put("verdict", verdict.verdict().name());
            model.put("policy", verdict.policy());
            verdict.reasons().forEach(model.putArray("reasons")::add);
            ArrayNode operators = model.putArray("operators");
            for (OperatorCheck operator : verdict.operators()) {
                ObjectNode o = operators.addObject();
                o.put("uid", operator.uid());
                o.put("type", operator.type());
                o.put("outcome", operator.outcome());
                if (operator.stateBytes() >= 0) {
                    o.put("stateBytes", operator.stateBytes());
                }
                if (!operator.note().isEmpty()) {
                    o.put("note", operator.note());
                }
            }
        }
        try {
            AtomicFiles.write(outputDirectory.resolve(JSON), Json.write(root));
            AtomicFiles.write(outputDirectory.resolve(MARKDOWN), markdown(against, verdicts));
        } catch (IOException e) {
            throw new FlinkDbtException(
                    "Cannot write the state compatibility report to " + outputDirectory + ": " + e.getMessage(), e);
        }
    }

    static String markdown(String against, List<ModelVerdict> verdicts) {
        StringBuilder out = new StringBuilder("# State compatibility\n\nAgainst: ")
                .append(against)
                .append("\n\n");
        out.append("| model | verdict | policy |\n|---|---|---|\n");
        verdicts.forEach(v -> out.append("| ")
                .append(v.name())
                .append(" | ")
                .append(v.verdict())
                .append(" | ")
                .append(v.policy())
                .append(" |\n"));
        for (ModelVerdict verdict : verdicts) {
            out.append("\n## ")
                    .append(verdict.name())
                    .append(": ")
                    .append(verdict.verdict())
                    .append("\n\n");
            verdict.reasons().forEach(r -> out.append("- ").append(r).append('\n'));
            if (!verdict.operators().isEmpty()) {
                out.append(verdict.reasons().isEmpty() ? "" : "\n")
                        .append("| operator | type | outcome | state | note |\n|---|---|---|---|---|\n");
                for (OperatorCheck o : verdict.operators()) {
                    out.append("| `")
                            .append(o.uid())
                            .append("` | ")
                            .append(o.type())
                            .append(" | ")
                            .append(o.outcome())
                            .append(" | ")
                            .append(OperatorCheck.size(o.stateBytes()))
                            .append(" | ")
                            .append(o.note().replace("|", "\\|"))
                            .append(" |\n");
                }
            }
        }
        return out.toString();
    }

    /** The console table: one row per model, its first reason or its state, wrapped under it. */
    public static List<String> console(List<ModelVerdict> verdicts) {
        int width = Math.max(
                5, verdicts.stream().mapToInt(v -> v.name().length()).max().orElse(5));
        List<String> lines = new ArrayList<>();
        String format = " %-" + width + "s  %-18s  %s";
        lines.add(String.format(Locale.ROOT, format, "model", "verdict", "state"));
        for (ModelVerdict verdict : verdicts) {
            List<String> details = new ArrayList<>(verdict.reasons());
            if (details.isEmpty()) {
                details.add(summary(verdict.operators()));
            }
            for (int i = 0; i < details.size(); i++) {
                lines.add(String.format(
                        Locale.ROOT,
                        format,
                        i == 0 ? verdict.name() : "",
                        i == 0 ? verdict.verdict().name() : "",
                        details.get(i)));
            }
        }
        return lines;
    }

    private static String summary(List<OperatorCheck> operators) {
        List<String> parts = new ArrayList<>();
        for (OperatorCheck o : operators) {
            parts.add(o.type() + " " + (o.stateBytes() >= 0 ? OperatorCheck.size(o.stateBytes()) + " " : "")
                    + o.outcome());
        }
        return parts.isEmpty() ? "no state" : String.join(", ", parts);
    }
}
