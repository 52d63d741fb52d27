package io.github.flinkdbt.mojo;

import io.github.flinkdbt.common.BuildLog;
import org.apache.maven.plugin.logging.Log;

/** Maven's log as the core's {@link BuildLog}; multi-line messages become one line each. */
final class MavenBuildLog implements BuildLog {

    private final Log log;

    MavenBuildLog(Log log) {
        this.log = log;
    }

    @Override
    public void info(String message) {
        message.lines().forEach(log::info);
    }

    @Override
    public void warn(String message) {
        message.lines().forEach(log::warn);
    }

    @Override
    public void error(String message) {
        message.lines().forEach(log::error);
    }

    @Override
    public void debug(String message) {
        if (log.isDebugEnabled()) {
            message.lines().forEach(log::debug);
        }
    }

    @Override
    public boolean isDebugEnabled() {
        return log.isDebugEnabled();
    }
}
