package io.github.flinkdbt.common;

import java.io.PrintStream;

/** Where the core reports progress; the mojo package adapts Maven's log to it. */
public interface BuildLog {

    void info(String message);

    void warn(String message);

    void error(String message);

    void debug(String message);

    boolean isDebugEnabled();

    static BuildLog silent() {
        return new BuildLog() {
            @Override
            public void info(String message) {}

            @Override
            public void warn(String message) {}

            @Override
            public void error(String message) {}

            @Override
            public void debug(String message) {}

            @Override
            public boolean isDebugEnabled() {
                return false;
            }
        };
    }

    static BuildLog to(PrintStream out) {
        return new BuildLog() {
            @Override
            public void info(String message) {
                out.println("[INFO] " + message);
            }

            @Override
            public void warn(String message) {
                out.println("[WARNING] " + message);
            }

            @Override
            public void error(String message) {
                out.println("[ERROR] " + message);
            }

            @Override
            public void debug(String message) {}

            @Override
            public boolean isDebugEnabled() {
                return false;
            }
        };
    }
}
