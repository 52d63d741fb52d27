package io.github.flinkdbt.report.docs;

import io.github.flinkdbt.deploy.ModelDeployment;
import io.github.flinkdbt.planner.CompiledProject;
import io.github.flinkdbt.state.ModelVerdict;
import java.util.List;
import java.util.Map;

/**
 * Everything the docs site shows: the compiled project, and what later goals left behind.
 *
 * @param baseline what the verdicts compare with, for people (e.g. "deployed state of shop"); null without one
 * @param verdicts each streaming model's state verdict against the baseline (with savepoint sizes when read)
 * @param deployments by model, its deployments from the ledger, oldest first; empty before the first deploy
 * @param testResults by test name, its last result ({@code snapshot-test}'s reports); empty when none ran
 */
public record DocsInput(
        CompiledProject compiled,
        String baseline,
        List<ModelVerdict> verdicts,
        Map<String, List<ModelDeployment>> deployments,
        Map<String, TestStatus> testResults,
        String pluginVersion,
        String flinkVersion) {

    /** A test's last result: pass, fail, error, warn or skipped, and its message. */
    public record TestStatus(String status, String message) {}
}
