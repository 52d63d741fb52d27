package io.github.flinkdbt.report.docs;

import io.github.flinkdbt.common.SourcePosition;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * Descriptions and doc blocks as HTML (CommonMark; raw HTML escaped and unsafe links dropped, so a
 * description cannot run script in the site), and the problems met on the way, each listed once.
 */
final class Markdown {

    private final Parser parser = Parser.builder().build();
    private final HtmlRenderer renderer =
            HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true).build();
    private final Set<String> problems = new LinkedHashSet<>();

    /** @param where the file and line the text comes from, for problems; null when it is not known */
    String html(String text, SourcePosition where) {
        if (text == null || text.isBlank()) {
            return "";
        }
        if (text.contains("{{") || text.contains("{%")) {
            problem(
                    where == null ? null : where.toString(),
                    "Jinja left unrendered in a description: " + abbreviated(text)
                            + " (only {{ doc('name') }}, var() and env_var() render there)");
        }
        return renderer.render(parser.parse(text)).strip();
    }

    void missing(String where, String message) {
        problem(where, message);
    }

    void problem(String where, String message) {
        problems.add(where == null ? message : where + "  " + message);
    }

    List<String> problems() {
        return new ArrayList<>(problems);
    }

    private static String abbreviated(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() > 60 ? line.substring(0, 57) + "..." : line;
    }
}
