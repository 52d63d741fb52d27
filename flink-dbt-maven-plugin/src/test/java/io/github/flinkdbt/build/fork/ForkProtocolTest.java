package io.github.flinkdbt.build.fork;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkdbt.api.BuildSummary;
import io.github.flinkdbt.api.DeployMode;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.common.Json;
import io.github.flinkdbt.common.Problem;
import io.github.flinkdbt.common.SourcePosition;
import io.github.flinkdbt.deploy.DeployAction;
import io.github.flinkdbt.deploy.DeployOutcome;
import io.github.flinkdbt.mojo.MavenHints;
import io.github.flinkdbt.run.ModelRun;
import io.github.flinkdbt.run.RunOutcome;
import io.github.flinkdbt.testing.TestOutcome;
import io.github.flinkdbt.testing.TestResult;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every command and every event crosses the pipe whole: what is read is what was written. (A
 * compiled project in a command or event: {@code CompileOnceTest}.)
 */
class ForkProtocolTest {

    private static final Settings SETTINGS = Settings.builder(Path.of("/p").toAbsolutePath())
            .select("a+")
            .vars(Map.of("n", 1))
            .keepRunning(true)
            .build();
    private static final ForkCommand.Context CONTEXT =
            new ForkCommand.Context(MavenHints.get(), true, 3, true, List.of(Path.of("/m2/a.jar")));

    @Test
    void everyCommandRoundTrips() throws Exception {
        List<ForkCommand> commands = List.of(
                new ForkCommand.Validate(SETTINGS, CONTEXT),
                new ForkCommand.Compile(SETTINGS, CONTEXT, true),
                new ForkCommand.Run(SETTINGS, CONTEXT, null),
                new ForkCommand.Test(SETTINGS, CONTEXT, null),
                new ForkCommand.Deploy(SETTINGS, CONTEXT, DeployMode.PLAN));
        assertThat(commands.stream().map(Object::getClass)).containsExactlyInAnyOrder(permitted(ForkCommand.class));
        for (ForkCommand command : commands) {
            String line = Json.line(command);
            assertThat(line).doesNotContain("\n");
            assertThat(Json.fromLine(line, ForkCommand.class)).isEqualTo(command);
        }
    }

    @Test
    void everyEventRoundTrips() throws Exception {
        List<ForkEvent> events = List.of(
                new ForkEvent.Log(ForkEvent.Level.WARN, "two\nlines"),
                new ForkEvent.Built(
                        new BuildSummary("shop", 5, Set.of("a"), Set.of("b", "c"), true, 1234), null, "f00"),
                new ForkEvent.Ran(new RunOutcome(
                        "shop",
                        List.of(
                                new ModelRun(
                                        "m", "table", ModelRun.SUCCESS, "abc", 3, 1L, 2L, "replaced t", "`c`.`d`.`m`"),
                                new ModelRun("n", "view", ModelRun.ERROR, null, -1, 3L, 0L, "failed", null)),
                        List.of("unit test x failed"),
                        99)),
                new ForkEvent.Tested(new TestOutcome(
                        "shop",
                        "fixtures",
                        List.of(new TestResult("t", "unit", "m", TestResult.FAIL, "diff", 2, 10, "schema.yml:3")),
                        55)),
                new ForkEvent.Invalid(List.of(
                        Problem.at(new SourcePosition("a.sql", 2, 3), "bad", "fix it"),
                        Problem.at(new SourcePosition("b.yml", 1, 1), "worse"))),
                new ForkEvent.Deployed(new DeployOutcome(
                        "7",
                        List.of(
                                new DeployOutcome.ModelResult(
                                        "m", DeployAction.UPGRADE, "COMMITTED", "a1b2", "file:/sp/1", null),
                                new DeployOutcome.ModelResult(
                                        "n", DeployAction.CREATE, "FAILED", null, null, "it could not start")))),
                new ForkEvent.Failed("it broke"));
        assertThat(events.stream().map(Object::getClass)).containsExactlyInAnyOrder(permitted(ForkEvent.class));
        for (ForkEvent event : events) {
            String line = Json.line(event);
            assertThat(line).doesNotContain("\n");
            assertThat(Json.fromLine(line, ForkEvent.class)).isEqualTo(event);
        }
    }

    private static Class<?>[] permitted(Class<?> sealed) throws Exception {
        Method permitted = Class.class.getMethod("getPermittedSubclasses");
        return (Class<?>[]) permitted.invoke(sealed);
    }
}
