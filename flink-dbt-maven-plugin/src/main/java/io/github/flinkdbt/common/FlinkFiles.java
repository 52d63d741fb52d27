package io.github.flinkdbt.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Files on whatever file system their URI names ({@code file:}, or any scheme Flink
 * has a file system for: {@code s3:}, {@code hdfs:}, …), through Flink's {@link FileSystem}: the
 * same code reads and writes a home on the local disk and on shared storage.
 */
public final class FlinkFiles {

    private FlinkFiles() {}

    /**
     * A location as users write it: a URI with its scheme ({@code s3://bucket/x}, {@code file:/x}), or a
     * path on this machine, relative to {@code base}.
     */
    public static URI toUri(String location, java.nio.file.Path base) {
        String trimmed = location.trim();
        // a scheme of one letter is a Windows drive (C:\\...), not a URI
        if (trimmed.matches("[A-Za-z][A-Za-z0-9+.-]+:.*")) {
            try {
                return new URI(trimmed);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("'" + trimmed + "' is not a valid URI: " + e.getMessage(), e);
            }
        }
        return base.resolve(trimmed).toAbsolutePath().normalize().toUri();
    }

    /** {@link #toUri(String, java.nio.file.Path)} relative to the working directory. */
    public static URI toUri(String location) {
        return toUri(location, java.nio.file.Path.of(""));
    }

    /** How messages show a location: a local one as a path, anything else as its URI. */
    public static String display(URI location) {
        return "file".equals(location.getScheme())
                ? java.nio.file.Path.of(location).toString()
                : location.toString();
    }

    /**
     * The file system {@code path} is on. A local path gets Flink's local file system directly: asking
     * Flink for it by URI would first load every file system factory on the classpath (Hadoop's
     * included), a good part of a second that a build that changed nothing must not spend.
     */
    public static FileSystem fileSystem(Path path) throws IOException {
        String scheme = path.toUri().getScheme();
        return scheme == null || scheme.equals("file") ? FileSystem.getLocalFileSystem() : path.getFileSystem();
    }

    public static boolean exists(Path path) {
        try {
            return fileSystem(path).exists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether a directory is at {@code location}. A local one is looked at directly: the first use of
     * Flink's file systems loads their factories (Hadoop's included), a fifth of a second that a build
     * which changed nothing must not spend to learn that a home is not there.
     */
    public static boolean isDirectory(URI location) {
        return "file".equals(location.getScheme())
                ? Files.isDirectory(java.nio.file.Path.of(location))
                : isDirectory(new Path(location));
    }

    public static boolean isDirectory(Path path) {
        try {
            FileSystem fs = fileSystem(path);
            return fs.exists(path) && fs.getFileStatus(path).isDir();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void mkdirs(Path path) throws IOException {
        if (!fileSystem(path).mkdirs(path)) {
            throw new IOException("cannot create " + path);
        }
    }

    public static String read(Path file) {
        try (InputStream in = fileSystem(file).open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Replaces {@code file} with {@code content}: written beside it first, then renamed over it, so a
     * reader (or a run killed half way) finds the old content or the new, never a part — where the
     * file system renames atomically (local disks, HDFS); an object store writes the object whole.
     *
     * @param ownerOnly readable by the owner only (on a local disk): the file may hold credentials
     */
    public static void write(Path file, String content, boolean ownerOnly) {
        try {
            FileSystem fs = fileSystem(file);
            mkdirs(file.getParent());
            Path temp = new Path(file.getParent(), "." + file.getName() + "." + UUID.randomUUID() + ".tmp");
            try (OutputStream out = fs.create(temp, FileSystem.WriteMode.OVERWRITE)) {
                out.write(content.getBytes(StandardCharsets.UTF_8));
            }
            if (ownerOnly && !fs.isDistributedFS() && "file".equals(fs.getUri().getScheme())) {
                ownerOnly(temp);
            }
            if (!fs.rename(temp, file)) {
                // a file system that does not rename over an existing file
                fs.delete(file, false);
                if (!fs.rename(temp, file)) {
                    fs.delete(temp, false);
                    throw new IOException("cannot replace " + file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void ownerOnly(Path local) throws IOException {
        try {
            java.nio.file.Files.setPosixFilePermissions(
                    java.nio.file.Path.of(local.toUri()), PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the directory's ACL applies
        }
    }

    /** What a directory holds, by name; nothing when it does not exist. */
    public static List<FileStatus> list(Path directory) {
        try {
            FileSystem fs = fileSystem(directory);
            if (!fs.exists(directory)) {
                return List.of();
            }
            FileStatus[] entries = fs.listStatus(directory);
            return entries == null
                    ? List.of()
                    : Arrays.stream(entries)
                            .sorted(Comparator.comparing(
                                    status -> status.getPath().getName()))
                            .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** When the file or directory was last changed, in epoch milliseconds; 0 when it is gone. */
    public static long modified(Path path) {
        try {
            FileSystem fs = fileSystem(path);
            return fs.exists(path) ? fs.getFileStatus(path).getModificationTime() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Deletes a file or a directory with everything in it; nothing when it does not exist. */
    public static void deleteTree(Path path) {
        try {
            fileSystem(path).delete(path, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void delete(Path file) {
        try {
            fileSystem(file).delete(file, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Gives {@code from} the name {@code to}, replacing it. */
    public static void move(Path from, Path to) {
        try {
            FileSystem fs = fileSystem(from);
            if (!fs.rename(from, to)) {
                fs.delete(to, false);
                if (!fs.rename(from, to)) {
                    throw new IOException("cannot rename " + from + " to " + to);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
