package io.github.flinkdbt.project;

import java.util.List;

/** RFC 4180 CSV as seeds and test fixtures use it; every row knows its line. */
public final class Csv {

    private Csv() {}

    /** One line of a CSV file: its cells (trimmed) and where it starts. */
    public record Row(List<String> cells, SourcePosition position) {}

    /** The rows of {@code csv} (header included, blank lines skipped); null with a problem when malformed. */
    public static List<Row> parse(SourceText csv, char delimiter, Problems problems) {
        List<SeedLoader.Row> rows = SeedLoader.parse(csv, delimiter, problems);
        return rows == null ? null : rows.stream().map(r -> new Row(r.cells(), r.position())).toList();
    }
}
