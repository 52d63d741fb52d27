package io.github.flinkdbt.project;

import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.Option;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.common.ProblemsException;
import io.github.flinkdbt.common.SourcePosition;
import io.github.flinkdbt.common.Suggestions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads a model project from disk: layout, macros and docs, schema files, models (rendered
 * with Jinja, configured in layers), singular tests. No Flink is involved. Every problem found
 * is reported at once.
 */
public final class ProjectLoader {

    /**
     * What to load.
     *
     * @param settings the project directory, its name, catalog, database, variables and target
     * @param environment what {@code env_var()} sees
     * @param hints how messages name the options that fix them
     * @param macroOverrides macros replaced by a fixed output (a unit test's {@code overrides: macros})
     */
    public record Request(
            Settings.Compile settings,
            Map<String, String> environment,
            Hints hints,
            Map<String, Object> macroOverrides,
            SourcePosition overridesAt) {

        public Request(Settings.Compile settings, Map<String, String> environment, Hints hints) {
            this(settings, environment, hints, Map.of(), null);
        }
    }

    private final Request request;
    private final Settings.Compile settings;
    private final Problems problems;
    private final JinjaEnvironment jinja = new JinjaEnvironment();
    private final EnvironmentReads environment;

    private ProjectLoader(Request request, Problems problems) {
        this.request = request;
        this.settings = request.settings();
        this.problems = problems;
        this.environment = new EnvironmentReads(request.environment());
    }

    /** Loads the project, or throws {@link ProblemsException} listing everything wrong with it. */
    public static Project load(Request request) {
        Problems problems = new Problems();
        Project project = load(request, problems);
        problems.throwIfAny();
        return project;
    }

    /**
     * Loads as much of the project as is sound, recording problems: models and sources with
     * problems are left out (and named in {@link Project#brokenModels()} and
     * {@link Project#brokenSources()}) so the rest can still be planned and checked.
     */
    public static Project load(Request request, Problems problems) {
        Path projectDir = request.settings().projectDir();
        if (!Files.isDirectory(projectDir)) {
            throw new FlinkDbtException("Project directory " + projectDir + " does not exist.\n"
                    + "Point " + request.hints().name(Option.PROJECT_DIR)
                    + " at a directory with src/main/sql (or a dbt_project.yml).");
        }
        return new ProjectLoader(request, problems).load();
    }

    /** A model being loaded: its file, renders and config. */
    private record Draft(
            String name,
            Path file,
            String display,
            SourceText source,
            RenderedTemplate full,
            RenderedTemplate incremental,
            ModelConfig config,
            ModelProperties properties,
            boolean broken) {}

    private Project load() {
        ProjectLayout layout =
                ProjectLayout.load(settings.projectDir(), settings.basedir(), settings.defaultName(), problems);
        String catalog = settings.catalog();
        String database = settings.database() != null ? settings.database() : layout.name();
        Map<String, Object> vars = new TreeMap<>(layout.vars());
        vars.putAll(settings.vars());
        Map<String, Object> target = new TreeMap<>();
        target.put("name", settings.target());
        target.put("schema", database);
        target.put("database", catalog);
        target.put("type", "flink");
        target.put("profile_name", layout.name());

        List<Path> projectMacroDirs = ProjectFiles.dirs(layout, layout.macroPaths());
        List<Path> macroDirs = new ArrayList<>(projectMacroDirs);
        List<Path> modelDirs = new ArrayList<>(ProjectFiles.dirs(layout, layout.modelPaths()));
        List<Path> testDirs = new ArrayList<>(ProjectFiles.dirs(layout, layout.testPaths()));
        LocalPackages packages = LocalPackages.of(layout, problems);
        Set<String> packageNames = packages.names();
        macroDirs.addAll(packages.loadMacros(jinja, layout, problems));
        modelDirs.addAll(packages.modelDirs());
        testDirs.addAll(packages.testDirs());
        for (Path macroFile : ProjectFiles.files(projectMacroDirs, ".sql", List.of())) {
            jinja.loadMacroFile(ProjectFiles.read(problems, layout, macroFile), problems);
        }
        for (Path docsFile : ProjectFiles.files(modelDirs, ".md", List.of())) {
            jinja.loadMacroFile(ProjectFiles.read(problems, layout, docsFile), problems);
        }
        if (!request.macroOverrides().isEmpty()) {
            jinja.overrideMacros(request.macroOverrides(), request.overridesAt(), problems);
        }

        List<Path> excluded = new ArrayList<>(macroDirs);
        excluded.addAll(testDirs);
        List<Path> modelFiles = ProjectFiles.files(modelDirs, ".sql", excluded);
        Map<String, Path> modelNames = modelNames(layout, modelFiles);
        Map<String, Path> seedFiles = new SeedModels(problems).names(layout, modelNames);
        Set<String> nodeNames = new TreeSet<>(modelNames.keySet());
        nodeNames.addAll(seedFiles.keySet());
        SnapshotModels snapshots = new SnapshotModels(jinja, problems);
        Map<String, SnapshotModels.Block> snapshotBlocks = snapshots.find(layout, nodeNames);
        nodeNames.addAll(snapshotBlocks.keySet());

        ProjectSymbols yamlSymbols = new ProjectSymbols(
                layout.name(), nodeNames, Map.of(), vars, environment, target, request.hints(), packageNames);
        YamlValues yamlValues = new YamlValues(jinja, yamlSymbols, problems);
        List<Path> schemaDirs = new ArrayList<>(modelDirs);
        // as dbt: properties files may also sit beside the seeds and snapshots they describe
        schemaDirs.addAll(ProjectFiles.dirs(layout, layout.seedPaths()));
        schemaDirs.addAll(ProjectFiles.dirs(layout, layout.snapshotPaths()));
        List<Path> schemaFiles = new ArrayList<>(ProjectFiles.files(schemaDirs, ".yml", excluded));
        schemaFiles.addAll(ProjectFiles.files(schemaDirs, ".yaml", excluded));
        schemaFiles.sort(null);
        SchemaDefinitions schema = new SchemaFileParser(
                        layout, catalog, database, yamlValues, jinja.macroNames(), problems)
                .parse(schemaFiles);

        snapshotBlocks.putAll(snapshots.fromYaml(schema.models(), nodeNames));
        nodeNames.addAll(snapshotBlocks.keySet());
        Map<String, SourceTable> sources = new TreeMap<>();
        schema.sources().forEach(s -> sources.put(s.uniqueName(), s));
        ProjectSymbols symbols = new ProjectSymbols(
                layout.name(), nodeNames, sources, vars, environment, target, request.hints(), packageNames);

        List<List<String>> paths = new ArrayList<>();
        Map<String, List<String>> segmentsByModel = new HashMap<>();
        for (Map.Entry<String, Path> entry : modelNames.entrySet()) {
            List<String> segments = ProjectFiles.segments(modelDirs, entry.getValue(), entry.getKey());
            segmentsByModel.put(entry.getKey(), segments);
            paths.add(segments);
        }
        FolderConfigs folders = FolderConfigs.read(
                layout.modelsConfig(), layout.name(), packageNames, "models", paths, yamlValues, problems);
        packages.readFolderConfigs(paths, yamlValues, problems);

        Map<String, Draft> drafts = new TreeMap<>();
        for (Map.Entry<String, Path> entry : modelNames.entrySet()) {
            drafts.put(
                    entry.getKey(),
                    draft(
                            layout,
                            entry.getKey(),
                            entry.getValue(),
                            packages.folderConfig(entry.getValue(), segmentsByModel.get(entry.getKey()), folders),
                            schema.models().get(entry.getKey()),
                            symbols,
                            catalog,
                            database));
        }
        for (ModelProperties properties : schema.models().values()) {
            if (!nodeNames.contains(properties.name())) {
                problems.add(
                        properties.position(),
                        "Properties for model '" + properties.name() + "', but no model file " + "has that name."
                                + Suggestions.didYouMean(properties.name(), modelNames.keySet()),
                        "Create " + layout.modelPaths().get(0) + "/" + properties.name() + ".sql or fix the name.");
            }
        }

        Map<String, Relation> relations = new TreeMap<>();
        Map<Relation, String> owners = new HashMap<>();
        Map<String, RenderedTemplate> ephemerals = new TreeMap<>();
        for (Draft draft : drafts.values()) {
            if (!draft.config().enabled()) {
                continue;
            }
            Relation relation = relation(draft.name(), draft.config(), catalog, database);
            relations.put(draft.name(), relation);
            if (draft.config().materialized() == Materialization.EPHEMERAL) {
                ephemerals.put(draft.name(), draft.full());
                continue;
            }
            String owner = owners.putIfAbsent(relation, draft.name());
            if (owner != null) {
                problems.add(
                        draft.source().start(),
                        "Models '" + owner + "' and '" + draft.name() + "' both write " + relation.display() + ".",
                        "Give one of them a different alias or schema in its config.");
            }
        }
        checkRefsToDisabled(drafts);
        Map<String, Model> seeds = new SeedModels(problems).models(layout, seedFiles, schema, catalog, database);
        seeds.forEach((name, seed) -> {
            relations.put(name, seed.relation());
            String owner = owners.putIfAbsent(seed.relation(), name);
            if (owner != null) {
                problems.add(
                        seed.position(),
                        "'" + owner + "' and seed '" + name + "' both write "
                                + seed.relation().display() + ".",
                        "Give one of them a different alias or schema in its config.");
            }
        });

        FolderConfigs snapshotFolders = FolderConfigs.read(
                layout.snapshotsConfig(),
                layout.name(),
                "snapshots",
                snapshotBlocks.values().stream()
                        .map(SnapshotModels.Block::segments)
                        .toList(),
                yamlValues,
                problems);
        List<SnapshotModels.Rendered> renderedSnapshots = new ArrayList<>();
        for (SnapshotModels.Block block : snapshotBlocks.values()) {
            SnapshotModels.Rendered rendered = snapshots.render(
                    block, symbols, snapshotFolders, schema.models().get(block.name()), catalog, database);
            if (rendered.config().enabled()) {
                renderedSnapshots.add(rendered);
                relations.put(block.name(), rendered.relation());
                String owner = owners.putIfAbsent(rendered.relation(), block.name());
                if (owner != null) {
                    problems.add(
                            block.position(),
                            "'" + owner + "' and snapshot '" + block.name() + "' both write "
                                    + rendered.relation().display() + ".",
                            "Give the snapshot another target_schema or alias.");
                }
            }
        }
        sources.replaceAll((name, source) -> source.overCatalogTable() && owners.containsKey(source.relation())
                ? source.writtenBy(owners.get(source.relation()))
                : source);
        SqlAssembler assembler = new SqlAssembler(relations, ephemerals);
        Map<String, Model> models = new TreeMap<>(seeds);
        Set<String> broken = new TreeSet<>();
        for (Draft draft : drafts.values()) {
            if (!draft.config().enabled()) {
                continue;
            }
            if (draft.broken()) {
                broken.add(draft.name());
                continue;
            }
            SqlText sql = assembler.assemble(draft.full());
            if (sql.text().isBlank()) {
                problems.add(
                        draft.source().start(),
                        "Model '" + draft.name() + "' has no SQL.",
                        "Write a SELECT statement in " + draft.display());
            }
            SqlText incremental = draft.incremental() == null ? null : assembler.assemble(draft.incremental());
            ModelProperties properties = draft.properties();
            models.put(
                    draft.name(),
                    new Model(
                            draft.name(),
                            layout.relative(draft.file()),
                            draft.display(),
                            draft.source().checksum(),
                            draft.config(),
                            relations.get(draft.name()),
                            sql,
                            incremental,
                            reads(draft.name(), draft.full().state(), sources),
                            refPositions(draft.full().state()),
                            List.copyOf(draft.full().state().sources()),
                            properties == null ? null : properties.description(),
                            properties == null ? List.of() : properties.columns(),
                            draft.source().start()));
        }

        for (SnapshotModels.Rendered rendered : renderedSnapshots) {
            String name = rendered.block().name();
            if (rendered.broken()) {
                broken.add(name);
            } else {
                models.put(
                        name,
                        snapshots.model(
                                rendered,
                                assembler,
                                schema.models().get(name),
                                reads(name, rendered.template().state(), sources)));
            }
        }

        Hooks hooks = new Hooks(jinja, symbols, assembler, problems);
        models.replaceAll((name, model) -> hooks.rendered(model));

        List<SingularTest> singularTests = new ArrayList<>();
        for (Path testFile : ProjectFiles.files(testDirs, ".sql", List.of())) {
            SourceText source = ProjectFiles.read(problems, layout, testFile);
            AdapterHints.inTest(source, problems);
            String name = ProjectFiles.stripExtension(testFile.getFileName().toString());
            RenderedTemplate rendered = jinja.render(source, symbols, name, false, state -> null);
            problems.addAll(rendered.state().problems());
            singularTests.add(new SingularTest(
                    name,
                    layout.relative(testFile),
                    source.path(),
                    source.checksum(),
                    assembler.assemble(rendered),
                    reads(name, rendered.state(), sources),
                    List.copyOf(rendered.state().sources()),
                    source.start()));
        }
        checkTests(schema, models, broken);
        List<DataTest> dataTests = new DataTestCompiler(jinja, symbols, assembler, relations, sources, problems)
                .compile(schema.dataTests());
        SourcePosition projectFile =
                SourcePosition.of(layout.display(layout.root().resolve(ProjectLayout.DBT_PROJECT_FILE)));
        return new Project(
                layout,
                catalog,
                database,
                models,
                List.copyOf(sources.values()),
                dataTests,
                schema.unitTests(),
                List.copyOf(singularTests),
                schema.functions(),
                exposures(schema.exposures(), models, broken, sources, problems),
                Map.copyOf(jinja.docs()),
                vars,
                Set.copyOf(broken),
                schema.brokenSources(),
                environment.names(),
                hooks.project(layout.onRunStart(), projectFile),
                hooks.project(layout.onRunEnd(), projectFile),
                problems.warnings());
    }

    /** The exposures whose refs and sources exist; each unknown one a problem at its line. */
    private static List<Exposure> exposures(
            List<Exposure> declared,
            Map<String, Model> models,
            Set<String> broken,
            Map<String, SourceTable> sources,
            Problems problems) {
        List<Exposure> known = new ArrayList<>();
        for (Exposure exposure : declared) {
            boolean ok = true;
            for (String ref : exposure.refs()) {
                if (!models.containsKey(ref) && !broken.contains(ref)) {
                    problems.add(
                            exposure.position(),
                            "Exposure '" + exposure.name() + "' depends on ref('" + ref + "'), which is no model."
                                    + Suggestions.didYouMean(ref, models.keySet()),
                            null);
                    ok = false;
                }
            }
            for (String source : exposure.sources()) {
                if (!sources.containsKey(source)) {
                    problems.add(
                            exposure.position(),
                            "Exposure '" + exposure.name() + "' depends on source '" + source
                                    + "', which is not declared." + Suggestions.didYouMean(source, sources.keySet()),
                            null);
                    ok = false;
                }
            }
            if (ok) {
                known.add(exposure);
            }
        }
        return List.copyOf(known);
    }

    private Draft draft(
            ProjectLayout layout,
            String name,
            Path file,
            Map<String, ConfigValue> folderConfig,
            ModelProperties properties,
            ProjectSymbols symbols,
            String catalog,
            String database) {
        int before = problems.size();
        SourceText source = ProjectFiles.read(problems, layout, file);
        Map<String, ConfigValue> yamlConfig = properties == null ? Map.of() : properties.config();
        Map<String, ConfigValue> hintConfig = AdapterHints.config(source, problems);
        RenderedTemplate full = jinja.render(
                source,
                symbols,
                name,
                false,
                state -> relation(
                        name,
                        ConfigRules.resolve(
                                name,
                                ConfigRules.merge(hintConfig, folderConfig, yamlConfig, fileConfig(state)),
                                new Problems()),
                        catalog,
                        database));
        problems.addAll(full.state().problems());
        // a model that did not render is left out; config mistakes are reported but do not stop its SQL being checked
        boolean broken = problems.size() > before;
        Map<String, ConfigValue> merged =
                ConfigRules.merge(hintConfig, folderConfig, yamlConfig, fileConfig(full.state()));
        ModelConfig config = ConfigRules.resolve(name, merged, problems);
        RenderedTemplate incremental = null;
        if (config.materialized() == Materialization.INCREMENTAL && config.enabled()) {
            incremental = jinja.render(source, symbols, name, true, state -> relation(name, config, catalog, database));
            problems.addAll(incremental.state().problems());
            broken |= !incremental.state().problems().isEmpty();
        }
        return new Draft(name, file, source.path(), source, full, incremental, config, properties, broken);
    }

    /** The nodes a template reads: its refs, and the seeds and models behind the sources it reads. */
    private static List<String> reads(String reader, RenderState state, Map<String, SourceTable> sources) {
        Set<String> reads = new LinkedHashSet<>(state.refs());
        for (String source : state.sources()) {
            String writer = sources.get(source).node();
            if (writer != null && !writer.equals(reader)) {
                reads.add(writer);
            }
        }
        return List.copyOf(reads);
    }

    private static Map<String, SourcePosition> refPositions(RenderState state) {
        Map<String, SourcePosition> positions = new TreeMap<>();
        for (RenderState.RefCall call : state.placeholders()) {
            if (state.refs().contains(call.model())) {
                positions.putIfAbsent(call.model(), call.position());
            }
        }
        return positions;
    }

    private static Map<String, ConfigValue> fileConfig(RenderState state) {
        Map<String, ConfigValue> config = new LinkedHashMap<>();
        for (RenderState.ConfigCall call : state.configCalls()) {
            call.values().forEach((k, v) -> config.put(k, new ConfigValue(v, call.position())));
        }
        return config;
    }

    static Relation relation(String name, ModelConfig config, String catalog, String database) {
        return new Relation(
                config.database() != null ? config.database() : catalog,
                config.schema() != null ? config.schema() : database,
                config.alias() != null ? config.alias() : name);
    }

    private void checkRefsToDisabled(Map<String, Draft> drafts) {
        for (Draft draft : drafts.values()) {
            if (!draft.config().enabled()) {
                continue;
            }
            for (RenderState.RefCall call : draft.full().state().placeholders()) {
                Draft target = drafts.get(call.model());
                if (target != null && !target.config().enabled()) {
                    problems.add(
                            call.position(),
                            "ref('" + call.model() + "') names a disabled model (enabled: false).",
                            "Enable '" + call.model() + "' or remove this reference.");
                }
            }
        }
    }

    private void checkTests(SchemaDefinitions schema, Map<String, Model> models, Set<String> broken) {
        for (DataTest test : schema.dataTests()) {
            if (!test.onSource() && !models.containsKey(test.attachedTo()) && !broken.contains(test.attachedTo())) {
                problems.add(
                        test.position(),
                        "Data test '" + test.uniqueName() + "' is on model '" + test.attachedTo()
                                + "', which does not exist or is disabled.",
                        null);
            }
        }
        for (UnitTest test : schema.unitTests()) {
            Model model = models.get(test.model());
            if (broken.contains(test.model())) {
                continue;
            }
            if (model == null) {
                problems.add(
                        test.position(),
                        "Unit test '" + test.name() + "' tests model '" + test.model() + "', which does not exist."
                                + Suggestions.didYouMean(test.model(), models.keySet()),
                        null);
                continue;
            }
            Set<String> refs = new TreeSet<>();
            Set<String> sources = new TreeSet<>();
            model.inputs(models, refs, sources);
            for (UnitTest.Input input : test.given()) {
                boolean read = input.namesThis()
                        || (input.refName() != null
                                ? refs.contains(input.refName()) || model.refs().contains(input.refName())
                                : sources.contains(input.sourceName()));
                if (!read) {
                    Set<String> inputs = new TreeSet<>();
                    refs.forEach(r -> inputs.add("ref('" + r + "')"));
                    sources.forEach(s -> inputs.add("source('" + s.replace(".", "', '") + "')"));
                    problems.add(
                            input.position(),
                            "Unit test '" + test.name() + "' gives " + input.input() + ", which " + "model '"
                                    + test.model() + "' does not read.",
                            "It reads: " + String.join(", ", inputs));
                }
            }
        }
    }

    private Map<String, Path> modelNames(ProjectLayout layout, List<Path> modelFiles) {
        return ProjectFiles.nodeNames(problems, layout, modelFiles, "Model", Map.of());
    }
}
