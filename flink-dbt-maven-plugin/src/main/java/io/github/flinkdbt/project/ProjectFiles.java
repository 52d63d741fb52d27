package io.github.flinkdbt.project;

import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.common.SourcePosition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Finding and reading a project's files. */
final class ProjectFiles {

    private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private ProjectFiles() {}

    /**
     * Files by node name (the file name): names must be identifiers, unique among these files and
     * not among {@code taken} (the models, when these are seeds). Problems are reported per file.
     */
    static Map<String, Path> nodeNames(
            Problems problems, ProjectLayout layout, List<Path> files, String kind, Map<String, Path> taken) {
        Map<String, Path> names = new TreeMap<>();
        for (Path file : files) {
            String fileName = file.getFileName().toString();
            String name = stripExtension(fileName);
            String display = layout.display(file);
            if (!NODE_NAME.matcher(name).matches()) {
                problems.add(
                        SourcePosition.of(display),
                        kind + " name '" + name + "' is not a plain identifier.",
                        "Rename the file using letters, digits and underscores, e.g. " + ProjectLayout.identifier(name)
                                + fileName.substring(name.length()));
                continue;
            }
            Path previous = taken.containsKey(name) ? taken.get(name) : names.putIfAbsent(name, file);
            if (previous != null) {
                problems.add(
                        SourcePosition.of(display),
                        (taken.isEmpty()
                                        ? "Two " + kind.toLowerCase(Locale.ROOT) + "s are named '"
                                        : "Two nodes are named '")
                                + name + "': " + layout.display(previous) + " and "
                                + display + ".",
                        (taken.isEmpty() ? kind : "Model and seed") + " names must be unique; rename "
                                + "one of the files.");
            }
        }
        return names;
    }

    static List<Path> dirs(ProjectLayout layout, List<String> paths) {
        List<Path> dirs = new ArrayList<>();
        for (String path : paths) {
            Path dir = layout.root().resolve(path).toAbsolutePath().normalize();
            if (Files.isDirectory(dir)) {
                dirs.add(dir);
            }
        }
        return dirs;
    }

    /** Files with the extension under the dirs, not under any excluded dir, sorted. */
    static List<Path> files(List<Path> dirs, String extension, List<Path> excluded) {
        Set<Path> found = new TreeSet<>();
        for (Path dir : dirs) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.filter(Files::isRegularFile)
                        .filter(p -> p.getFileName().toString().endsWith(extension))
                        .filter(p -> excluded.stream().noneMatch(p::startsWith))
                        .filter(p -> dir.relativize(p).toString().chars().noneMatch(c -> c == '~'))
                        .forEach(found::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new ArrayList<>(found);
    }

    static SourceText read(Problems problems, ProjectLayout layout, Path file) {
        try {
            return SourceText.of(layout.display(file), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            problems.add(SourcePosition.of(layout.display(file)), "Cannot read file: " + e.getMessage(), null);
            return SourceText.of(layout.display(file), "");
        }
    }

    /** A node's folders below the first of {@code dirs} holding its file, then its name: what folder configs apply by. */
    static List<String> segments(List<Path> modelDirs, Path file, String name) {
        for (Path dir : modelDirs) {
            if (file.startsWith(dir)) {
                List<String> segments = new ArrayList<>();
                Path relative = dir.relativize(file.getParent() == null ? file : file.getParent());
                for (Path part : relative) {
                    if (!part.toString().isEmpty()) {
                        segments.add(part.toString());
                    }
                }
                segments.add(name);
                return segments;
            }
        }
        return List.of(name);
    }

    static String stripExtension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? fileName : fileName.substring(0, dot);
    }
}
