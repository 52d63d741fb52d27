package io.github.flinkdbt.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
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
 * same code reads and writes a home on the local disk and on shared storage. Local files are read
 * straight from the disk (see {@link #local}).
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
        return local(path) != null ? FileSystem.getLocalFileSystem() : path.getFileSystem();
    }

    /**
     * The local file {@code path} names; null when it is on another file system. Reads of local files
     * go straight to the disk: Flink's local file system asks the disk two or three times for what one
     * call answers, which a check reading the state of hundreds of models feels.
     */
    private static java.nio.file.Path local(Path path) {
        URI uri = path.toUri();
        String scheme = uri.getScheme();
        return scheme == null || scheme.equals("file") ? java.nio.file.Path.of(uri.getPath()) : null;
    }

    public static boolean exists(Path path) {
        java.nio.file.Path local = local(path);
        if (local != null) {
            return Files.exists(local);
        }
        try {
            return fileSystem(path).exists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static boolean isDirectory(Path path) {
        java.nio.file.Path local = local(path);
        if (local != null) {
            return Files.isDirectory(local);
        }
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
        try (InputStream in = open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static InputStream open(Path file) throws IOException {
        java.nio.file.Path local = local(file);
        return local != null ? Files.newInputStream(local) : fileSystem(file).open(file);
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
            java.nio.file.Path local = local(temp);
            if (ownerOnly && local != null) {
                ownerOnly(local);
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

    /**
     * Creates {@code file} with {@code content} only if no file has that name: true if this call
     * created it. On a local disk the creation is atomic (two processes never both create it); on
     * a file system without an exclusive create (object stores) two writers may both succeed, which
     * the caller must detect by reading the file back.
     *
     * @param ownerOnly readable by the owner only (on a local disk), from its first byte
     */
    public static boolean createNew(Path file, String content, boolean ownerOnly) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        try {
            mkdirs(file.getParent());
            java.nio.file.Path local = local(file);
            if (local != null) {
                // written whole beside it, then linked to its name: link() fails when the name exists,
                // so a reader never sees the file part-written and only one creator wins
                java.nio.file.Path temp =
                        local.resolveSibling("." + local.getFileName() + "." + UUID.randomUUID() + ".tmp");
                try {
                    if (ownerOnly && supportsPosix(local.getParent())) {
                        Files.createFile(
                                temp,
                                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    }
                    Files.write(temp, bytes);
                    Files.createLink(local, temp);
                    return true;
                } catch (FileAlreadyExistsException e) {
                    return false;
                } finally {
                    Files.deleteIfExists(temp);
                }
            }
            FileSystem fs = fileSystem(file);
            if (fs.exists(file)) {
                return false;
            }
            try (OutputStream out = fs.create(file, FileSystem.WriteMode.NO_OVERWRITE)) {
                out.write(bytes);
            }
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes a local directory (and what is created in it by {@link #createNew}) its owner's alone. */
    public static void ownerOnlyDirectory(Path directory) throws IOException {
        mkdirs(directory);
        java.nio.file.Path local = local(directory);
        if (local != null && supportsPosix(local)) {
            Files.setPosixFilePermissions(local, PosixFilePermissions.fromString("rwx------"));
        }
    }

    private static boolean supportsPosix(java.nio.file.Path local) {
        return local.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static void ownerOnly(java.nio.file.Path local) throws IOException {
        try {
            Files.setPosixFilePermissions(local, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the directory's ACL applies
        }
    }

    /** What a directory holds, by name; nothing when it does not exist. */
    public static List<FileStatus> list(Path directory) {
        java.nio.file.Path local = local(directory);
        if (local != null) {
            return listLocal(directory, local);
        }
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

    private static List<FileStatus> listLocal(Path directory, java.nio.file.Path local) {
        if (!Files.isDirectory(local)) {
            return List.of();
        }
        List<FileStatus> entries = new ArrayList<>();
        try (DirectoryStream<java.nio.file.Path> children = Files.newDirectoryStream(local)) {
            for (java.nio.file.Path child : children) {
                try {
                    BasicFileAttributes attributes = Files.readAttributes(child, BasicFileAttributes.class);
                    entries.add(new LocalStatus(
                            new Path(directory, child.getFileName().toString()),
                            attributes.size(),
                            attributes.lastModifiedTime().toMillis(),
                            attributes.isDirectory()));
                } catch (NoSuchFileException gone) {
                    // deleted while listed
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        entries.sort(Comparator.comparing(status -> status.getPath().getName()));
        return entries;
    }

    /** A local file as one look at the disk saw it. */
    private record LocalStatus(Path path, long length, long modified, boolean directory) implements FileStatus {
        @Override
        public long getLen() {
            return length;
        }

        @Override
        public long getBlockSize() {
            return length;
        }

        @Override
        public short getReplication() {
            return 1;
        }

        @Override
        public long getModificationTime() {
            return modified;
        }

        @Override
        public long getAccessTime() {
            return 0;
        }

        @Override
        public boolean isDir() {
            return directory;
        }

        @Override
        public Path getPath() {
            return path;
        }
    }

    /** When the file or directory was last changed, in epoch milliseconds; 0 when it is gone. */
    public static long modified(Path path) {
        java.nio.file.Path local = local(path);
        if (local != null) {
            try {
                return Files.getLastModifiedTime(local).toMillis();
            } catch (IOException e) {
                return 0;
            }
        }
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
