package io.github.flinkdbt.report.docs;

import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.Json;
import io.github.flinkdbt.report.OutputDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code target/flink-dbt-docs/}: a static site that works opened from disk (no server, no
 * network): {@code index.html} with the plugin's script and style, the project's content as
 * {@code data.js}, and the dbt artifacts beside it. Replaced as a whole; same input, same bytes.
 */
public final class DocsSite {

    public static final String INDEX = "index.html";
    private static final List<String> ASSETS = List.of(INDEX, "docs.js", "docs.css");

    /**
     * What was written.
     *
     * @param problems descriptions and doc blocks that could be better, each once, with file:line
     */
    public record Written(Path directory, int nodes, List<String> problems, boolean changed) {}

    private DocsSite() {}

    /** @param artifacts files copied beside the site as they are (e.g. {@code manifest.json}) */
    public static Written write(DocsInput input, Path directory, Map<String, byte[]> artifacts) {
        Markdown markdown = new Markdown();
        Map<String, Object> content = SiteContent.of(input, markdown);
        Map<String, byte[]> files = new TreeMap<>(artifacts);
        for (String asset : ASSETS) {
            files.put(asset, asset(asset));
        }
        // a script, not JSON: browsers do not let pages opened from disk fetch files beside them
        String data = "window.FLINK_DBT_DOCS = " + Json.write(content).replace("</", "<\\/") + ";\n";
        files.put("data.js", data.getBytes(StandardCharsets.UTF_8));
        boolean changed = OutputDirectory.replace(directory, files);
        return new Written(directory, ((List<?>) content.get("nodes")).size(), markdown.problems(), changed);
    }

    private static byte[] asset(String name) {
        try (InputStream in = DocsSite.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new FlinkDbtException("The plugin jar lacks its docs asset " + name + ": reinstall the plugin.");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new FlinkDbtException("Cannot read the docs asset " + name + ": " + e.getMessage(), e);
        }
    }
}
