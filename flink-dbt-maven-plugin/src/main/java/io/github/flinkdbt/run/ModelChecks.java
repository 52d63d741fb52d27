package io.github.flinkdbt.run;

import io.github.flinkdbt.cluster.FlinkCluster;
import io.github.flinkdbt.project.Model;
import java.util.List;

/**
 * Tests a run performs in dbt's build order: a model's unit tests before it is built, its data
 * tests once its table is complete. Each method returns the failures that must stop the models
 * downstream (tests of severity error), already reported.
 */
public interface ModelChecks {

    ModelChecks NONE = new ModelChecks() {
        @Override
        public List<String> before(Model model) {
            return List.of();
        }

        @Override
        public List<String> after(Model model) {
            return List.of();
        }

        @Override
        public List<String> afterAll() {
            return List.of();
        }
    };

    /** Before {@code model} is built: failures mean it is not built. */
    List<String> before(Model model);

    /** After {@code model} is built (its bounded job finished): failures hold back its downstream. */
    List<String> after(Model model);

    /** After every model: tests that read several models (singular tests). */
    List<String> afterAll();

    /** Opens the checks of a run on its cluster. */
    interface Factory {
        ModelChecks open(FlinkCluster cluster);
    }
}
