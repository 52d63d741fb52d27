package io.github.flinkdbt.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Files written so that a reader, or a build killed half way, finds the old content or the new,
 * never a part: the content goes to a temporary file beside the target, which then replaces it.
 */
public final class AtomicFiles {

    private AtomicFiles() {}

    /** Replaces {@code file} with {@code content} (UTF-8), creating its directory. */
    public static void write(Path file, String content) throws IOException {
        write(file, content, false);
    }

    /** The same, readable by the owner only: for files that may hold credentials. */
    public static void writePrivate(Path file, String content) throws IOException {
        write(file, content, true);
    }

    private static void write(Path file, String content, boolean ownerOnly) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temp = Files.createTempFile(directory, "." + file.getFileName(), ".tmp");
        try {
            if (ownerOnly) {
                try {
                    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // Windows: the directory's ACL applies
                }
            }
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Deletes a file or a directory with everything in it; nothing when it does not exist. */
    public static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
