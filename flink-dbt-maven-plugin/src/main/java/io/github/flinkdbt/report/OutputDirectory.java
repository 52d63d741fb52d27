package io.github.flinkdbt.report;

import io.github.flinkdbt.common.AtomicFiles;
import io.github.flinkdbt.common.FlinkDbtException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Replaces an output directory as a whole: the new content is written beside it and moved into
 * place, so a failed build never leaves half-written output, and readers see the old or the new
 * directory, never a mix. When the content is unchanged nothing is touched.
 */
public final class OutputDirectory {

    private OutputDirectory() {}

    /**
     * Files other goals leave in the output directory ({@code run}'s results, {@code check-state-compat}'s
     * reports). They are not part of
     * the compiled output: not compared, not fingerprinted, and not carried over when it changes.
     */
    public static boolean isCompileOutput(String relativePath) {
        return !relativePath.equals("run_results.json") && !relativePath.startsWith("state-compat.");
    }

    /** Where a streaming model's compiled plan is, relative to the output directory. */
    public static String plan(String model) {
        return "plans/" + model + ".json";
    }

    /** The compile output files of a directory, by relative path with forward slashes. */
    public static Map<String, byte[]> read(Path directory) {
        Map<String, byte[]> files = new TreeMap<>();
        if (!Files.isDirectory(directory)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                String path = directory.relativize(file).toString().replace('\\', '/');
                if (isCompileOutput(path)) {
                    files.put(path, Files.readAllBytes(file));
                }
            }
        } catch (IOException e) {
            throw new FlinkDbtException("Cannot read " + directory + ": " + e.getMessage(), e);
        }
        return files;
    }

    /**
     * Makes {@code directory} hold exactly {@code files}. Returns false when it already did.
     */
    public static boolean replace(Path directory, Map<String, byte[]> files) {
        recover(directory);
        if (same(read(directory), files)) {
            return false;
        }
        Path parent = directory.toAbsolutePath().getParent();
        String name = directory.getFileName().toString();
        Path staging = parent.resolve(name + ".new");
        Path previous = parent.resolve(name + ".old");
        try {
            Files.createDirectories(parent);
            delete(staging);
            delete(previous);
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                Path target = staging.resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.write(target, file.getValue());
            }
            if (Files.exists(directory)) {
                Files.move(directory, previous, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(staging, directory, StandardCopyOption.ATOMIC_MOVE);
            delete(previous);
            return true;
        } catch (IOException e) {
            throw new FlinkDbtException(
                    "Cannot write " + directory + ": " + e.getMessage()
                            + "\nCheck that the directory is writable and the disk is not full, then build again.",
                    e);
        }
    }

    /** Finishes or undoes a replacement that a killed build left half way. */
    static void recover(Path directory) {
        Path parent = directory.toAbsolutePath().getParent();
        String name = directory.getFileName().toString();
        Path previous = parent.resolve(name + ".old");
        try {
            if (!Files.exists(directory) && Files.isDirectory(previous)) {
                Files.move(previous, directory, StandardCopyOption.ATOMIC_MOVE);
            }
            delete(previous);
            delete(parent.resolve(name + ".new"));
        } catch (IOException e) {
            throw new FlinkDbtException("Cannot recover " + directory + ": " + e.getMessage(), e);
        }
    }

    private static boolean same(Map<String, byte[]> a, Map<String, byte[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, byte[]> entry : a.entrySet()) {
            if (!Arrays.equals(entry.getValue(), b.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static void delete(Path path) throws IOException {
        AtomicFiles.deleteTree(path);
    }
}
