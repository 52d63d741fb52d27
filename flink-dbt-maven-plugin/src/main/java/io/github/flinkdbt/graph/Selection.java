package io.github.flinkdbt.graph;

import java.util.List;
import java.util.Set;

/**
 * The models a build works on, the unit tests it runs, and what the selector syntax wants the user
 * to know.
 *
 * @param unitTests names of the unit tests selected: those of the selected models and those a term
 *     names or tags, less those excluded
 */
public record Selection(Set<String> models, Set<String> unitTests, List<String> warnings, boolean everything) {

    public Selection {
        unitTests = unitTests == null ? Set.of() : unitTests; // a compiled project written by an earlier version
    }

    /** Exactly these models, with no unit tests. */
    public static Selection of(Set<String> models) {
        return new Selection(Set.copyOf(models), Set.of(), List.of(), false);
    }
}
