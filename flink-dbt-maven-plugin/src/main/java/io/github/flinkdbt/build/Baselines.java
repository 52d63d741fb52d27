package io.github.flinkdbt.build;

import io.github.flinkdbt.api.Command;
import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.Option;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.home.DeployedPlans;
import io.github.flinkdbt.home.FlinkDbtHome;
import io.github.flinkdbt.state.Baseline;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one rule for the baseline: what a compile continues its streaming models' operator UIDs from,
 * and what the state check compares with. Every goal asks here (compile, run, the state check,
 * bundle, and deploy next), so they all see the same plans:
 *
 * <ol>
 *   <li>the baseline the settings name: an earlier compile output, a bundle, or {@code deployed}
 *       (the home, which must have run the project);
 *   <li>otherwise what the home last ran of this project, when it ran it;
 *   <li>otherwise none: every streaming model is new.
 * </ol>
 */
final class Baselines {

    static final String DEPLOYED = "deployed";

    private Baselines() {}

    /** The baseline's plans, for a compile; savepoints are not looked at. */
    static Baseline plans(Settings settings, String project, Hints hints) {
        return load(settings, project, hints, false);
    }

    /**
     * What {@code state:} selection compares with: the baseline given, else what the home last
     * built (also when it ran batch models only).
     */
    static Baseline forSelection(Settings settings, String project, Hints hints) {
        if (settings.compile().baseline() == null && DeployedPlans.isHome(settings.home())) {
            return DeployedPlans.baseline(settings.home(), project, hints, false);
        }
        return load(settings, project, hints, false);
    }

    /** The baseline with the state each model's next start restores, for the state check. */
    static Baseline withState(Settings settings, String project, Hints hints) {
        return load(settings, project, hints, true);
    }

    private static Baseline load(Settings settings, String project, Hints hints, boolean withState) {
        String spec = settings.compile().baseline();
        URI home = settings.home();
        if (spec == null) {
            return DeployedPlans.ran(home, project)
                    ? DeployedPlans.baseline(home, project, hints, withState)
                    : Baseline.none();
        }
        if (spec.equals(DEPLOYED)) {
            if (!DeployedPlans.isHome(home)) {
                throw new FlinkDbtException(hints.set(Option.BASELINE, DEPLOYED) + ": nothing was deployed from "
                        + new FlinkDbtHome(home).display() + " yet. Run the models first (" + hints.command(Command.RUN)
                        + ") or deploy them (" + hints.command(Command.DEPLOY) + "), or give another baseline.");
            }
            return DeployedPlans.baseline(home, project, hints, withState);
        }
        Path path = settings.compile().basedir().resolve(spec);
        if (!Files.exists(path)) {
            throw new FlinkDbtException("The baseline " + path + " does not exist.\nGive an earlier compile output ("
                    + hints.set(Option.BASELINE, "<dir>") + "), a bundle (<groupId>:<artifactId>:<version>) or '"
                    + DEPLOYED + "'.");
        }
        return DeployedPlans.isHome(path.toUri())
                ? DeployedPlans.baseline(path.toUri(), project, hints, withState)
                : Baseline.load(path, hints);
    }
}
