package io.github.flinkdbt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.flinkdbt.project.Problem;
import io.github.flinkdbt.project.ProblemsException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** The forked planner JVM (see {@link Fork}): reads a request, runs the goal, reports as JSON lines. */
public final class ForkMain {

    private static final io.github.flinkdbt.run.RunControl RUN_CONTROL = new io.github.flinkdbt.run.RunControl();

    private ForkMain() {}

    public static void main(String[] args) throws Exception {
        PrintStream events = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        JsonNode json = Json.read(in.readLine());
        Thread watchdog = new Thread(() -> {
            try {
                while (in.read() >= 0) {
                    // Maven keeps stdin open while it waits for us
                }
            } catch (java.io.IOException e) {
                // treated as closed
            }
            if (args[0].equals("RUN")) {
                RUN_CONTROL.stop(); // Maven is gone: save the streaming jobs' state, then end
                return;
            }
            Runtime.getRuntime().halt(130);
        }, "flink-dbt-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        BuildLog log = new EventLog(events, json.path("debug").asBoolean());
        ObjectNode outcome = Json.MAPPER.createObjectNode();
        int exit = 0;
        try {
            if (args[0].equals("RUN")) {
                io.github.flinkdbt.run.RunControl control = RUN_CONTROL;
                stopOnSignal(control, log);
                io.github.flinkdbt.run.RunOutcome run = FlinkDbt.runHere(Fork.decodeRun(json, log, control));
                outcome.put("type", "run");
                outcome.put("project", run.project());
                outcome.putPOJO("models", run.models());
                outcome.putPOJO("testFailures", run.testFailures());
                outcome.put("millis", run.millis());
                events.println(Json.MAPPER.writeValueAsString(outcome));
                events.flush();
                Runtime.getRuntime().halt(0);
            }
            if (args[0].equals("TEST")) {
                io.github.flinkdbt.testing.TestOutcome tests = FlinkDbt.testHere(Fork.decodeTest(json, log));
                outcome.put("type", "test");
                outcome.put("project", tests.project());
                outcome.put("against", tests.against());
                outcome.putPOJO("results", tests.results());
                outcome.put("millis", tests.millis());
                events.println(Json.MAPPER.writeValueAsString(outcome));
                events.flush();
                Runtime.getRuntime().halt(0);
            }
            BuildRequest request = Fork.decode(json, log);
            BuildSummary summary = Build.run(Build.Goal.valueOf(args[0]), request, true);
            outcome.put("type", "summary");
            outcome.put("project", summary.project());
            outcome.put("models", summary.models());
            outcome.putPOJO("planned", summary.planned());
            outcome.putPOJO("reused", summary.reused());
            outcome.put("outputChanged", summary.outputChanged());
            outcome.put("millis", summary.millis());
        } catch (ProblemsException e) {
            outcome.put("type", "problems");
            ArrayNode problems = outcome.putArray("problems");
            for (Problem problem : e.problems()) {
                problems.addObject()
                        .put("file", problem.position().file())
                        .put("line", problem.position().line())
                        .put("column", problem.position().column())
                        .put("message", problem.message())
                        .put("hint", problem.hint());
            }
        } catch (FlinkDbtException e) {
            outcome.put("type", "error");
            outcome.put("message", e.getMessage());
        } catch (Throwable e) {
            e.printStackTrace();
            outcome.put("type", "error");
            outcome.put("message", "The planner JVM failed: " + e);
            exit = 1;
        }
        events.println(Json.MAPPER.writeValueAsString(outcome));
        events.flush();
        Runtime.getRuntime().halt(exit);
    }

    /**
     * Ctrl-C (SIGINT) and SIGTERM stop a run's streaming jobs with savepoints, while the cluster is
     * still whole: handled as signals, not by JVM shutdown, during which Flink's own shutdown
     * hooks would tear the cluster down under the savepoint. The same signal twice ends the JVM at once.
     */
    @SuppressWarnings("restriction")
    private static void stopOnSignal(io.github.flinkdbt.run.RunControl control, BuildLog log) {
        java.util.Set<String> received = java.util.concurrent.ConcurrentHashMap.newKeySet();
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    // Ctrl-C reaches this JVM and Maven, which then sends TERM: one stop, not an abort
                    if (!received.add(signal.getName())) {
                        Runtime.getRuntime().halt(130);
                    }
                    if (received.size() == 1) {
                        log.info("flink-dbt: stopping streaming jobs with a savepoint (press Ctrl-C again to abort)");
                        control.stop();
                    }
                });
            } catch (IllegalArgumentException unavailable) {
                // this platform has no such signal
            }
        }
    }

    /** Log lines as events on the parent's pipe. */
    private static final class EventLog implements BuildLog {
        private final PrintStream events;
        private final boolean debug;

        EventLog(PrintStream events, boolean debug) {
            this.events = events;
            this.debug = debug;
        }

        private synchronized void emit(String level, String message) {
            ObjectNode event = Json.MAPPER.createObjectNode();
            event.put("type", "log");
            event.put("level", level);
            event.put("message", message);
            try {
                events.println(Json.MAPPER.writeValueAsString(event));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                events.println("{\"type\":\"log\",\"level\":\"" + level + "\",\"message\":\"?\"}");
            }
        }

        @Override
        public void info(String message) {
            emit("info", message);
        }

        @Override
        public void warn(String message) {
            emit("warn", message);
        }

        @Override
        public void error(String message) {
            emit("error", message);
        }

        @Override
        public void debug(String message) {
            if (debug) {
                emit("debug", message);
            }
        }

        @Override
        public boolean isDebugEnabled() {
            return debug;
        }
    }
}
