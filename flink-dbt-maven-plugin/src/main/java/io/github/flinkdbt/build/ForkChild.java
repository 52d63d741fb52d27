package io.github.flinkdbt.build;

import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.RunControl;
import io.github.flinkdbt.build.fork.ForkChannel;
import io.github.flinkdbt.build.fork.ForkCommand;
import io.github.flinkdbt.build.fork.ForkEvent;
import io.github.flinkdbt.common.BuildLog;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.ProblemsException;
import java.util.Locale;

/** The main class of a forked JVM (see {@link io.github.flinkdbt.build.fork.ForkedJvm}): one goal, here. */
public final class ForkChild {

    private ForkChild() {}

    public static void main(String[] args) throws Exception {
        ForkChannel channel = ForkChannel.open();
        ForkCommand command = channel.command();
        ForkCommand.Context context = command.context();
        BuildLog log = channel.log(context.debug());
        RunControl control = new RunControl();
        if (command instanceof ForkCommand.Run) {
            ForkChannel.stopOnSignals(control, log);
            channel.watchParent(control::stop); // the parent is gone: save the streaming jobs' state, then end
        } else {
            channel.watchParent(() -> Runtime.getRuntime().halt(130));
        }
        Invocation invocation = Invocation.builder(log, context.hints())
                .threads(context.threads())
                .printDag(context.printDag())
                .pluginClasspath(context.pluginClasspath())
                .control(control)
                .build();
        int exit = 0;
        ForkEvent result;
        try {
            result = execute(command, invocation);
        } catch (ProblemsException e) {
            result = new ForkEvent.Invalid(e.problems());
        } catch (FlinkDbtException e) {
            result = new ForkEvent.Failed(e.getMessage());
        } catch (Throwable e) {
            e.printStackTrace();
            result =
                    new ForkEvent.Failed("The " + command.kind().name().toLowerCase(Locale.ROOT) + " JVM failed: " + e);
            exit = 1;
        }
        channel.send(result);
        // Flink leaves non-daemon threads behind; the result is out, nothing else is owed
        Runtime.getRuntime().halt(exit);
    }

    private static ForkEvent execute(ForkCommand command, Invocation invocation) {
        if (command instanceof ForkCommand.Validate validate) {
            Build.Compiled validated = Build.run(Build.Goal.VALIDATE, validate.settings(), invocation, true);
            return new ForkEvent.Built(validated.summary(), null, null);
        }
        if (command instanceof ForkCommand.Compile compile) {
            Build.Compiled compiled = Build.run(Build.Goal.COMPILE, compile.settings(), invocation, true);
            return compile.handOver()
                    ? new ForkEvent.Built(compiled.summary(), compiled.project(), compiled.stamp())
                    : new ForkEvent.Built(compiled.summary(), null, null);
        }
        if (command instanceof ForkCommand.Run run) {
            return new ForkEvent.Ran(Goals.runHere(run.settings(), invocation, run.compiled()));
        }
        if (command instanceof ForkCommand.Deploy deploy) {
            return new ForkEvent.Deployed(Goals.deployHere(deploy.settings(), invocation, deploy.mode()));
        }
        if (command instanceof ForkCommand.Test test) {
            return new ForkEvent.Tested(Goals.testHere(test.settings(), invocation, test.compiled()));
        }
        throw new IllegalArgumentException(command.toString());
    }
}
