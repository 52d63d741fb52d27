package io.github.flinkdbt.project;

import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.common.SourcePosition;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The secret options of a project as a bundle carries them: never their values, only the YAML text
 * each was rendered from ({@code {{ env_var('DBT_ENV_SECRET_KAFKA_JAAS') }}}), rendered again from
 * the environment where the bundle is deployed. A secret written literally has no such text: a
 * bundle is published to repositories, so it is refused.
 */
public final class SecretTemplates {

    /** One secret option: whose it is (a source's or a model's), its name, text and where it was set. */
    public record SecretOption(String owner, String key, String template, SourcePosition position) {}

    private SecretTemplates() {}

    /** How the maps here name a source's options: by the source's unique name. */
    public static String sourceOwner(String uniqueSource) {
        return "source:" + uniqueSource;
    }

    /** How the maps here name a model's options. */
    public static String modelOwner(String model) {
        return "model:" + model;
    }

    /** Every secret option of the project, by owner ({@link #sourceOwner}, {@link #modelOwner}). */
    private static Map<String, Map<String, SecretOption>> of(Project project) {
        Map<String, Map<String, SecretOption>> options = new TreeMap<>();
        for (SourceTable source : project.sources()) {
            String owner = sourceOwner(source.uniqueName());
            source.secretProperties()
                    .forEach((key, template) -> options.computeIfAbsent(owner, o -> new TreeMap<>())
                            .put(key, new SecretOption(owner, key, template, source.positionOf(key))));
        }
        for (Model model : project.models().values()) {
            String owner = modelOwner(model.name());
            SourcePosition fallback = model.position();
            model.config().secretConnectorProperties().forEach((key, template) -> {
                SourcePosition at = model.config().positionOf(key);
                options.computeIfAbsent(owner, o -> new TreeMap<>())
                        .put(key, new SecretOption(owner, key, template, at != null ? at : fallback));
            });
        }
        return options;
    }

    /**
     * What a bundle carries of each secret option, by owner: the YAML text it was rendered from.
     * Refuses a project with a secret written as a value rather than read from the environment:
     * each such option is a problem at its file and line.
     */
    public static Map<String, Map<String, String>> forBundle(Project project) {
        Map<String, Map<String, SecretOption>> options = of(project);
        Problems problems = new Problems();
        options.values().stream()
                .flatMap(byKey -> byKey.values().stream())
                .filter(option -> isLiteral(option.template()))
                .forEach(option -> problems.add(
                        option.position(),
                        "The secret option '" + option.key() + "' of " + describe(option.owner())
                                + " is written as a value; a bundle is published, so it cannot carry it.",
                        "Read it from the environment where the bundle is deployed: " + option.key() + ": \"{{"
                                + " env_var('DBT_ENV_SECRET_" + envName(option.key()) + "') }}\" in the schema"
                                + " file (not in a config() call), and set DBT_ENV_SECRET_" + envName(option.key())
                                + " there and in this build."));
        problems.throwIfAny();
        Map<String, Map<String, String>> templates = new TreeMap<>();
        options.forEach((owner, byKey) -> byKey.forEach((key, option) ->
                templates.computeIfAbsent(owner, o -> new TreeMap<>()).put(key, option.template())));
        return templates;
    }

    /**
     * Each option's value rendered from {@code environment} (the deploying one): what the bundle's
     * project runs with. Only {@code env_var()}, {@code var()} and {@code target} are known there.
     *
     * @throws io.github.flinkdbt.common.ProblemsException naming each option that does not render
     */
    public static Map<String, Map<String, String>> render(
            Project project, Map<String, String> environment, String targetName, Hints hints) {
        Map<String, Object> target = new TreeMap<>();
        target.put("name", targetName);
        target.put("schema", project.database());
        target.put("database", project.catalog());
        target.put("type", "flink");
        target.put("profile_name", project.layout().name());
        ProjectSymbols symbols = new ProjectSymbols(
                project.layout().name(), Set.of(), Map.of(), project.vars(), environment, target, hints, Set.of());
        JinjaEnvironment jinja = new JinjaEnvironment();
        Problems problems = new Problems();
        Map<String, Map<String, String>> values = new TreeMap<>();
        of(project)
                .forEach((owner, options) -> options.forEach((key, option) -> {
                    int before = problems.size();
                    String value = jinja.renderValue(option.template(), option.position(), symbols, problems)
                            .value();
                    if (problems.size() == before) {
                        values.computeIfAbsent(owner, o -> new TreeMap<>()).put(key, value);
                    }
                }));
        problems.throwIfAny();
        return values;
    }

    private static boolean isLiteral(String template) {
        return !template.contains("{{") && !template.contains("{%");
    }

    private static String describe(String owner) {
        return owner.startsWith(sourceOwner(""))
                ? "source '" + owner.substring(sourceOwner("").length()) + "'"
                : "model '" + owner.substring(modelOwner("").length()) + "'";
    }

    private static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]+", "_");
    }
}
