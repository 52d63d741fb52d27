package io.github.flinkdbt.build.fork;

import io.github.flinkdbt.api.RunControl;
import io.github.flinkdbt.common.BuildLog;
import io.github.flinkdbt.common.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * The child's end of a fork: reads its {@link ForkCommand} from stdin, reports {@link ForkEvent}s on
 * stdout (everything else printed goes to stderr), and notices when the parent goes away.
 */
public final class ForkChannel {

    private final PrintStream events;
    private final BufferedReader in;

    private ForkChannel(PrintStream events, BufferedReader in) {
        this.events = events;
        this.in = in;
    }

    /** Takes over this JVM's stdin and stdout. */
    public static ForkChannel open() {
        PrintStream events = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        return new ForkChannel(events, new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
    }

    public ForkCommand command() throws IOException {
        return Json.fromLine(in.readLine(), ForkCommand.class);
    }

    /**
     * Calls {@code whenGone} once the parent closes stdin: it exited, or was killed. The parent keeps
     * stdin open for as long as it waits for this JVM.
     */
    public void watchParent(Runnable whenGone) {
        Thread watchdog = new Thread(
                () -> {
                    try {
                        while (in.read() >= 0) {
                            // the parent writes nothing more; it only holds the pipe open
                        }
                    } catch (IOException e) {
                        // treated as closed
                    }
                    whenGone.run();
                },
                "flink-dbt-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** The log of this JVM: lines go to the parent as events. */
    public BuildLog log(boolean debug) {
        return new EventLog(this, debug);
    }

    public synchronized void send(ForkEvent event) {
        events.println(Json.line(event));
        events.flush();
    }

    /**
     * Ctrl-C (SIGINT) and SIGTERM stop a run's streaming jobs with savepoints, while the cluster is
     * still whole: handled as signals, not by JVM shutdown, during which Flink's own shutdown hooks
     * would tear the cluster down under the savepoint. Once stopping, further signals change
     * nothing: a Ctrl-C reaches this JVM and its parent, which then sends SIGTERM too, and a
     * terminal hang-up or a cancelled CI job signals the whole process group, maybe twice. Only a
     * kill ends it without savepoints.
     */
    @SuppressWarnings("restriction")
    public static void stopOnSignals(RunControl control, BuildLog log) {
        AtomicBoolean stopping = new AtomicBoolean();
        for (String name : new String[] {"INT", "TERM", "HUP"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    if (stopping.compareAndSet(false, true)) {
                        log.info("flink-dbt: SIG" + signal.getName() + ": stopping streaming jobs with a savepoint"
                                + " (kill -9 " + ProcessHandle.current().pid() + " ends them without one)");
                        control.stop();
                    }
                });
            } catch (IllegalArgumentException unavailable) {
                // this platform has no such signal
            }
        }
    }

    /** Log lines as events on the parent's pipe. */
    private record EventLog(ForkChannel channel, boolean debug) implements BuildLog {

        private void emit(ForkEvent.Level level, String message) {
            channel.send(new ForkEvent.Log(level, message));
        }

        @Override
        public void info(String message) {
            emit(ForkEvent.Level.INFO, message);
        }

        @Override
        public void warn(String message) {
            emit(ForkEvent.Level.WARN, message);
        }

        @Override
        public void error(String message) {
            emit(ForkEvent.Level.ERROR, message);
        }

        @Override
        public void debug(String message) {
            if (debug) {
                emit(ForkEvent.Level.DEBUG, message);
            }
        }

        @Override
        public boolean isDebugEnabled() {
            return debug;
        }
    }
}
