package io.github.flinkdbt.build;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinkdbt.api.Command;
import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Option;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.common.BuildLog;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.Json;
import io.github.flinkdbt.planner.CompiledProject;
import io.github.flinkdbt.planner.PlannedModel;
import io.github.flinkdbt.project.Materialization;
import io.github.flinkdbt.project.Model;
import io.github.flinkdbt.report.OutputDirectory;
import io.github.flinkdbt.report.StateCompatReport;
import io.github.flinkdbt.state.Baseline;
import io.github.flinkdbt.state.ModelVerdict;
import io.github.flinkdbt.state.SavepointLocations;
import io.github.flinkdbt.state.SavepointMetadata;
import io.github.flinkdbt.state.StateCompatibility;
import io.github.flinkdbt.state.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code check-state-compat} on a compiled project: verdicts, reports, and the policy's word. */
final class StateCheck {

    private StateCheck() {}

    /** @param baseline the baseline with the state each model's next start restores ({@link Baselines#withState}) */
    static List<ModelVerdict> run(Settings settings, Invocation invocation, Baseline baseline) {
        Settings.Compile compile = settings.compile();
        Hints hints = invocation.hints();
        long start = System.nanoTime();
        Checked checked = verdicts(settings, hints, baseline);
        List<ModelVerdict> verdicts = checked.verdicts();
        Map<String, StateCompatibility.Candidate> candidates = checked.candidates();
        Map<String, SavepointMetadata> savepoints = checked.savepoints();
        String against = baseline.isNone() ? "no baseline" : baseline.description();
        StateCompatReport.write(compile.outputDirectory(), against, verdicts);
        BuildLog log = invocation.log();
        log.info("flink-dbt: state compatibility of " + candidates.size() + " streaming models against " + against
                + (savepoints.isEmpty() ? "" : ", " + savepoints.size() + " savepoint(s) read") + " ("
                + Build.seconds((System.nanoTime() - start) / 1_000_000) + ")");
        if (baseline.isNone() && !candidates.isEmpty()) {
            log.info("No baseline given: every streaming model is NEW. Compare with an earlier build: "
                    + hints.set(Option.BASELINE, "<dir>|<groupId>:<artifactId>:<version>|deployed"));
        }
        StateCompatReport.console(verdicts).forEach(log::info);
        log.info("Report: " + compile.display(compile.outputDirectory().resolve(StateCompatReport.MARKDOWN)));
        List<String> failures = new ArrayList<>();
        for (ModelVerdict verdict : verdicts) {
            if (verdict.failsBuild()) {
                failures.add(failure(verdict));
            } else if (verdict.verdict() == Verdict.STATE_INCOMPATIBLE) {
                log.warn("flink-dbt: " + verdict.name() + " cannot keep its state; its policy "
                        + verdict.policy()
                        + (verdict.policy().equals("reprocess")
                                ? " rebuilds it from the sources when it is deployed."
                                : " lets it start empty when it is deployed."));
            }
        }
        if (!failures.isEmpty()) {
            throw new FlinkDbtException(String.join("\n", failures));
        }
        return verdicts;
    }

    /** The verdicts of the compiled streaming models against the baseline, and what they were made from. */
    record Checked(
            List<ModelVerdict> verdicts,
            Map<String, StateCompatibility.Candidate> candidates,
            Map<String, SavepointMetadata> savepoints) {}

    /** The verdicts of the compile output's streaming models (what check-state-compat checks). */
    static Checked verdicts(Settings settings, Hints hints, Baseline baseline) {
        Path output = settings.compile().outputDirectory();
        return checked(settings, hints, baseline, candidates(output, manifest(output, hints)));
    }

    /**
     * The verdicts alone, of a compiled project in hand: no report, no log, no refusal (what the docs
     * site shows). Its plans are taken as compiled, those of models outside its selection from the
     * compile output, as check-state-compat reads them.
     */
    static Checked verdicts(Settings settings, Hints hints, Baseline baseline, CompiledProject compiled) {
        Path output = settings.compile().outputDirectory();
        Map<String, StateCompatibility.Candidate> candidates = new TreeMap<>();
        for (Model model : compiled.project().models().values()) {
            if (model.materialization() == Materialization.SEED
                    || model.materialization() == Materialization.SNAPSHOT) {
                continue; // as check-state-compat: models only
            }
            PlannedModel planned = compiled.result() == null
                    ? null
                    : compiled.result().models().get(model.name());
            Path file = output.resolve(OutputDirectory.plan(model.name()));
            String json;
            try {
                json = planned != null && planned.plan() != null
                        ? planned.plan().json()
                        : !compiled.selection().models().contains(model.name()) && Files.isRegularFile(file)
                                ? Files.readString(file, StandardCharsets.UTF_8)
                                : null;
            } catch (IOException e) {
                throw new FlinkDbtException("Cannot read " + file + ": " + e.getMessage(), e);
            }
            if (json != null) {
                String policy = model.config().onStateIncompatible();
                candidates.put(
                        model.name(),
                        new StateCompatibility.Candidate(
                                model.name(), json, policy == null ? "fail" : policy, model.path()));
            }
        }
        return checked(settings, hints, baseline, candidates);
    }

    private static Checked checked(
            Settings settings, Hints hints, Baseline baseline, Map<String, StateCompatibility.Candidate> candidates) {
        Map<String, SavepointMetadata> savepoints = SavepointLocations.resolve(
                settings.check().savepoint(), settings.compile().basedir(), baseline, hints);
        return new Checked(StateCompatibility.check(candidates, baseline, savepoints), candidates, savepoints);
    }

    private static String failure(ModelVerdict verdict) {
        return verdict.name() + " cannot keep its state (policy: fail): "
                + verdict.reasons().get(0) + ".\n"
                + "  Either revert the change, or set in " + verdict.path() + ":\n"
                + "    {{ config(on_state_incompatible='reprocess') }}\n"
                + "  to rebuild its state from the sources, or 'allow_state_loss' to start it empty.";
    }

    private static JsonNode manifest(Path output, Hints hints) {
        Path file = output.resolve("manifest.json");
        try {
            return Json.read(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new FlinkDbtException(
                    "No compiled models in " + output + " (" + e.getMessage() + ").\n" + "Compile first: "
                            + hints.command(Command.VERIFY) + " compiles the models before it checks them.",
                    e);
        }
    }

    private static Map<String, StateCompatibility.Candidate> candidates(Path output, JsonNode manifest) {
        Map<String, StateCompatibility.Candidate> candidates = new TreeMap<>();
        for (JsonNode node : manifest.path("nodes")) {
            String name = node.path("name").asText();
            Path plan = output.resolve(OutputDirectory.plan(name));
            if (!node.path("resource_type").asText().equals("model") || !Files.isRegularFile(plan)) {
                continue;
            }
            try {
                candidates.put(
                        name,
                        new StateCompatibility.Candidate(
                                name,
                                Files.readString(plan, StandardCharsets.UTF_8),
                                node.path("config")
                                        .path("on_state_incompatible")
                                        .asText("fail"),
                                node.path("original_file_path").asText()));
            } catch (IOException e) {
                throw new FlinkDbtException("Cannot read " + plan + ": " + e.getMessage(), e);
            }
        }
        return candidates;
    }
}
