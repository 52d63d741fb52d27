package io.github.flinkdbt.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The git commit a project directory is at, for the ledger: {@code <sha>}, with {@code -dirty} when it has changes. */
final class GitCommit {

    private GitCommit() {}

    static Optional<String> of(Path directory) {
        Optional<String> head = git(directory, "rev-parse", "HEAD");
        if (head.isEmpty()) {
            return head;
        }
        boolean dirty =
                git(directory, "status", "--porcelain").map(s -> !s.isEmpty()).orElse(false);
        return Optional.of(head.get() + (dirty ? "-dirty" : ""));
    }

    private static Optional<String> git(Path directory, String... arguments) {
        String[] command = new String[arguments.length + 1];
        command[0] = "git";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        try {
            Process process = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return Optional.of(new String(output, StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            return Optional.empty(); // no git here
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
