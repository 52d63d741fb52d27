package io.github.flinkdbt.common;

import java.util.function.Supplier;

/**
 * Runs Flink calls with the project's class loader as the thread's context class loader, where
 * Flink looks up factories, functions and connector classes; the previous one is restored after.
 */
public final class ContextClassLoader {

    private ContextClassLoader() {}

    public static <T> T call(ClassLoader classLoader, Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(classLoader);
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
