package io.github.flinkdbt.run;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.common.BuildLog;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.mojo.MavenHints;
import java.nio.file.Path;

/**
 * Stands in for Maven in a process of its own: runs a project the way the run goal does, with the
 * run in a forked JVM, logging to stdout. Arguments: project directory, home, {@code keepRunning}.
 * Tests start it in a new process group and signal that group as a terminal or a CI runner would.
 */
public final class ParentMain {

    private ParentMain() {}

    public static void main(String[] args) {
        Path project = Path.of(args[0]);
        Settings settings = TestProjects.settings(project)
                .defaultName(project.getFileName().toString())
                .home(Path.of(args[1]))
                .keepRunning(Boolean.parseBoolean(args[2]))
                .build();
        Invocation invocation = Invocation.builder(BuildLog.to(System.out), MavenHints.get())
                .environment(System.getenv())
                .fork(true)
                .pluginClasspath(TestProjects.testClasspath())
                .threads(2)
                .build();
        try {
            FlinkDbt.run(settings, invocation);
            System.out.println("[PARENT] run ended");
        } catch (FlinkDbtException e) {
            System.out.println("[PARENT] run failed: " + e.getMessage());
        }
        System.out.flush();
        System.exit(0);
    }
}
