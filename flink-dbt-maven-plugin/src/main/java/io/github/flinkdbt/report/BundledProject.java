package io.github.flinkdbt.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.flinkdbt.api.Command;
import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.Option;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.Json;
import io.github.flinkdbt.common.Problem;
import io.github.flinkdbt.common.ProblemsException;
import io.github.flinkdbt.planner.CompiledProject;
import io.github.flinkdbt.project.SecretTemplates;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The compiled project inside a bundle: the models as rendered, their planned tables and plans,
 * so that a deploy of the bundle runs exactly what was built and tested, without the project's
 * files and without planning again. Written without what depends on where or how it was built
 * (the project's directory, which plans came from the cache), so the same project gives the same
 * bytes from any checkout. Secret options hold the YAML text they were rendered from, never their
 * values: a deploy renders them from its own environment ({@link SecretTemplates}).
 */
public final class BundledProject {

    /** The entry of a bundle that holds it. */
    public static final String ENTRY = "META-INF/flink-dbt/compiled-project.json";

    private BundledProject() {}

    /** The compiled project as the bundle holds it. */
    static byte[] write(CompiledProject compiled) {
        Map<String, Map<String, String>> templates = SecretTemplates.forBundle(compiled.project());
        ObjectNode tree = (ObjectNode) Json.read(Json.line(compiled));
        replaceSecrets((ObjectNode) tree.path("project"), templates);
        ObjectNode layout = (ObjectNode) tree.path("project").path("layout");
        layout.remove("root");
        layout.remove("displayBase");
        ObjectNode result = (ObjectNode) tree.path("result");
        result.set("planned", result.arrayNode());
        result.set("reused", result.arrayNode());
        for (JsonNode model : result.path("models")) {
            ((ObjectNode) model).put("fromCache", false);
        }
        return (Json.line(tree) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Puts {@code values} (by owner, then option) in place of the secret options' values. */
    private static void replaceSecrets(ObjectNode project, Map<String, Map<String, String>> values) {
        for (JsonNode source : project.path("sources")) {
            Map<String, String> options = values.get(SecretTemplates.sourceOwner(source.path("sourceName")
                            .asText() + "." + source.path("name").asText()));
            if (options != null) {
                options.forEach(((ObjectNode) source.path("connectorProperties"))::put);
            }
        }
        project.path("models").fields().forEachRemaining(entry -> {
            Map<String, String> options = values.get(SecretTemplates.modelOwner(entry.getKey()));
            if (options == null) {
                return;
            }
            JsonNode config = entry.getValue().path("config");
            options.forEach(((ObjectNode) config.path("connectorProperties"))::put);
            for (String key : List.of("connector_properties", "default_connector_properties")) {
                if (config.path("values").path(key) instanceof ObjectNode written) {
                    options.keySet().stream()
                            .filter(written::has)
                            .forEach(option -> written.put(option, options.get(option)));
                }
            }
        });
    }

    /**
     * The compiled project of a bundle, its files placed in {@code directory} (messages name them
     * relative to it).
     *
     * @param display how messages name the bundle (its coordinates)
     * @param flinkVersion the Flink version this plugin plans for: a bundle planned for another is refused
     * @param environment where its secret options are rendered from
     * @param target the target its secret options are rendered for
     */
    public static CompiledProject read(
            Path jar,
            String display,
            Path directory,
            String flinkVersion,
            Map<String, String> environment,
            String target,
            Hints hints) {
        try (JarFile file = new JarFile(jar.toFile())) {
            String builtFor = file.getManifest() == null
                    ? null
                    : file.getManifest().getMainAttributes().getValue("Flink-Version");
            if (builtFor != null && !builtFor.equals(flinkVersion)) {
                throw new FlinkDbtException("Cannot deploy " + display + ": its plans were compiled for Flink "
                        + builtFor
                        + ", this plugin runs Flink " + flinkVersion + ". Deploy it with the plugin version that"
                        + " built it, or build and release it again with this one.");
            }
            JarEntry entry = file.getJarEntry(ENTRY);
            if (entry == null) {
                String why = file.getEntry(Bundle.PREFIX + "manifest.json") == null
                        ? "it is not a flink-dbt bundle (no " + Bundle.PREFIX + "manifest.json)"
                        : "it was written by an earlier version of the plugin, without its compiled project (" + ENTRY
                                + ")";
                throw new FlinkDbtException("Cannot deploy " + display + " (" + jar + "): " + why + ".\n"
                        + "Deploy a bundle this plugin's " + hints.command(Command.PACKAGE) + " wrote, or deploy the"
                        + " build's own plans without " + hints.name(Option.BUNDLE) + ".");
            }
            ObjectNode tree;
            try (InputStream in = file.getInputStream(entry)) {
                tree = (ObjectNode) Json.read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            ObjectNode layout = (ObjectNode) tree.path("project").path("layout");
            layout.put("root", directory.toUri().toString());
            layout.put("displayBase", directory.toUri().toString());
            if (!(tree.path("result").path("planned") instanceof ArrayNode)) {
                throw new FlinkDbtException("Cannot deploy " + display + ": its " + ENTRY + " is damaged.");
            }
            CompiledProject bundled = Json.fromLine(Json.line(tree), CompiledProject.class);
            Map<String, Map<String, String>> secrets;
            try {
                secrets = SecretTemplates.render(bundled.project(), environment, target, hints);
            } catch (ProblemsException e) {
                throw new FlinkDbtException("Cannot deploy " + display + ": a bundle carries no secret values, its"
                        + " secret options are rendered from the environment of the deploy, and here:\n"
                        + String.join(
                                "\n", e.problems().stream().map(Problem::format).toList()));
            }
            if (secrets.isEmpty()) {
                return bundled;
            }
            replaceSecrets((ObjectNode) tree.path("project"), secrets);
            return Json.fromLine(Json.line(tree), CompiledProject.class);
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            String why = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
            throw new FlinkDbtException("Cannot read the bundle " + display + " (" + jar + "): " + why, e);
        }
    }
}
