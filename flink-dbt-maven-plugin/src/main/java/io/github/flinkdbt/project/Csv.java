package io.github.flinkdbt.project;

import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.common.SourcePosition;
import java.util.ArrayList;
import java.util.List;

/** RFC 4180 CSV as seeds and test fixtures use it; every row knows its line. */
public final class Csv {

    private Csv() {}

    /** One line of a CSV file: its cells (trimmed) and where it starts. */
    public record Row(List<String> cells, SourcePosition position) {}

    /**
     * The rows of {@code csv} (header included, blank lines skipped); null with a problem when
     * malformed. RFC 4180: quoted fields may hold the delimiter, quotes (doubled) and line breaks.
     */
    public static List<Row> parse(SourceText csv, char delimiter, Problems problems) {
        String text = csv.text();
        List<Row> rows = new ArrayList<>();
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        int rowStart = 0;
        boolean quoted = false;
        int quoteStart = -1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"' && cell.length() == 0) {
                quoted = true;
                quoteStart = i;
            } else if (c == delimiter) {
                cells.add(cell.toString().strip());
                cell.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                cells.add(cell.toString().strip());
                cell.setLength(0);
                addRow(rows, cells, csv.position(rowStart));
                cells = new ArrayList<>();
                rowStart = i + 1;
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            problems.add(
                    csv.position(quoteStart),
                    "This quoted value is never closed.",
                    "End it with a double quote; write a quote inside a value as two: \"\"");
            return null;
        }
        if (cell.length() > 0 || !cells.isEmpty()) {
            cells.add(cell.toString().strip());
            addRow(rows, cells, csv.position(rowStart));
        }
        return rows;
    }

    private static void addRow(List<Row> rows, List<String> cells, SourcePosition position) {
        if (cells.size() == 1 && cells.get(0).isEmpty()) {
            return; // blank line
        }
        rows.add(new Row(List.copyOf(cells), position));
    }
}
