package io.github.flinkdbt.planner;

import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.common.BuildLog;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.Problem;
import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.common.Suggestions;
import io.github.flinkdbt.graph.ModelGraph;
import io.github.flinkdbt.graph.Selection;
import io.github.flinkdbt.project.DataTest;
import io.github.flinkdbt.project.Model;
import io.github.flinkdbt.project.Project;
import io.github.flinkdbt.project.Secrets;
import io.github.flinkdbt.project.SourceTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.runtime.util.EnvironmentInformation;

/**
 * Plans a project's models on the real Flink planner, in dependency order, independent models in
 * parallel (one TableEnvironment pair per thread, one shared catalog). A model whose inputs and
 * SQL did not change since the last build is taken from the plan cache; when nothing changed, the
 * planner is not started at all.
 */
public final class ProjectPlanner {

    private static final AtomicReference<String> FLINK_VERSION = new AtomicReference<>();

    /**
     * What to plan.
     *
     * @param settings the Flink options, classpath, cache and plugin version the plans depend on
     * @param threads planner threads; models that do not depend on each other are planned at once
     * @param pool planner threads started earlier (warming up while the project was read), or null
     */
    public record Request(
            Project project,
            ModelGraph graph,
            Selection selection,
            Settings.Compile settings,
            int threads,
            BuildLog log,
            Hints hints,
            PlannerPool pool) {}

    private final Request request;
    private final Project project;
    private final Problems problems;
    private final PlanCache cache;
    private final CacheKeys keys;
    private final Map<String, PlannedModel> results = new TreeMap<>();
    private final Set<String> planned = new TreeSet<>();
    private final Set<String> reused = new TreeSet<>();
    private final Set<String> skipped = new TreeSet<>();
    private final Map<String, String> sourceKeys = new TreeMap<>();

    private ProjectPlanner(Request request, Problems problems) {
        this.request = request;
        this.problems = problems;
        this.project = request.project();
        Settings.Compile settings = request.settings();
        this.cache = new PlanCache(settings.cacheDirectory(), settings.useCache());
        this.keys = new CacheKeys(
                settings.pluginVersion(),
                flinkVersion(),
                settings.flinkConfiguration(),
                CacheKeys.functions(settings.classpath(), !project.functions().isEmpty()));
        project.sources().forEach(s -> sourceKeys.put(s.uniqueName(), CacheKeys.source(s)));
    }

    /**
     * Plans the selected models (and what they read). Problems are added to {@code problems}; a
     * model with problems does not stop the others, only the models that read it. Flink's messages
     * can quote table options: every secret value is scrubbed from them.
     */
    public static PlanningResult plan(Request request, Problems problems) {
        Problems found = new Problems();
        PlanningResult result = new ProjectPlanner(request, found).run();
        Set<String> secrets = Secrets.values(request.project());
        for (Problem problem : found.sorted()) {
            problems.add(Problem.at(
                    problem.position(),
                    Secrets.scrub(problem.message(), secrets),
                    Secrets.scrub(problem.hint(), secrets)));
        }
        return result;
    }

    /**
     * The planning result without starting the planner, when every selected model (and what it
     * reads) and every source is unchanged since it was last planned; empty otherwise.
     */
    public static Optional<PlanningResult> reuse(Request request) {
        ProjectPlanner planner = new ProjectPlanner(request, new Problems());
        List<String> needed = planner.neededInOrder();
        if (!planner.blocked(needed).isEmpty() || !planner.reuseEverything(needed)) {
            return Optional.empty();
        }
        planner.checkDataTests();
        if (!planner.problems.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                new PlanningResult(Map.copyOf(planner.results), Set.of(), Set.copyOf(planner.reused), Set.of()));
    }

    /**
     * The version of the Flink this plugin plans for, read from the version file flink-runtime
     * ships (where Flink reads it from): asking {@link EnvironmentInformation} would first start
     * Flink's logging (half a second in a fresh JVM, for goals such as {@code docs} that plan
     * nothing).
     */
    public static String flinkVersion() {
        String version = FLINK_VERSION.get();
        if (version == null) {
            version = readFlinkVersion();
            FLINK_VERSION.set(version);
        }
        return version;
    }

    private static String readFlinkVersion() {
        try (InputStream in = EnvironmentInformation.class.getResourceAsStream("/.flink-runtime.version.properties")) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                String version = properties.getProperty("project.version");
                if (version != null && !version.isBlank()) {
                    return version;
                }
            }
        } catch (IOException e) {
            // asked of Flink instead
        }
        return EnvironmentInformation.getVersion();
    }

    private PlanningResult run() {
        List<String> needed = new ArrayList<>(neededInOrder());
        Set<String> blocked = blocked(needed);
        skipped.addAll(blocked);
        needed.removeAll(blocked);
        if (!reuseEverything(needed)) {
            results.clear();
            reused.clear();
            planWithFlink(needed);
        }
        checkDataTests();
        return new PlanningResult(Map.copyOf(results), Set.copyOf(planned), Set.copyOf(reused), Set.copyOf(skipped));
    }

    /** Selected models, the models of selected unit tests, and everything they read, in dependency order. */
    private List<String> neededInOrder() {
        Set<String> needed = new TreeSet<>(request.selection().models());
        project.unitTests().stream()
                .filter(test -> request.selection().unitTests().contains(test.name()))
                .filter(test -> project.model(test.model()) != null)
                .forEach(test -> needed.add(test.model()));
        for (String model : Set.copyOf(needed)) {
            needed.addAll(request.graph().ancestors(model, -1));
        }
        return request.graph().topologicalOrder().stream()
                .filter(needed::contains)
                .toList();
    }

    /** Models reading a model or source that has problems (directly or further up). */
    private Set<String> blocked(List<String> needed) {
        Set<String> blocked = new TreeSet<>();
        for (String name : needed) {
            Model model = project.model(name);
            boolean readsBroken = model.refs().stream().anyMatch(project.brokenModels()::contains)
                    || model.sources().stream().anyMatch(project.brokenSources()::contains);
            if (readsBroken) {
                blocked.add(name);
                blocked.addAll(request.graph().descendants(name, -1));
            }
        }
        return blocked;
    }

    /** The no-op path: every needed model and source unchanged since the last build. */
    private boolean reuseEverything(List<String> needed) {
        Set<String> validated = cache.validatedSources();
        if (!project.brokenSources().isEmpty() || !validated.containsAll(sourceKeys.values())) {
            return false;
        }
        for (String name : needed) {
            Map<String, String> inputs = inputs(project.model(name));
            if (inputs == null) {
                return false;
            }
            PlannedModel hit =
                    cache.lookup(name, keys.model(project.model(name), inputs)).orElse(null);
            if (hit == null) {
                return false;
            }
            results.put(name, hit);
            reused.add(name);
        }
        return true;
    }

    /** Output keys of a model's refs and sources; null while a ref has no result. */
    private Map<String, String> inputs(Model model) {
        Map<String, String> inputs = new TreeMap<>();
        for (String ref : model.refs()) {
            PlannedModel upstream = results.get(ref);
            if (upstream == null) {
                return null;
            }
            inputs.put("ref:" + ref, CacheKeys.output(upstream));
        }
        for (String source : model.sources()) {
            inputs.put("source:" + source, sourceKeys.get(source));
        }
        return inputs;
    }

    private void planWithFlink(List<String> needed) {
        PlannerPool pool = request.pool() != null
                ? request.pool()
                : PlannerPool.start(
                        request.threads(),
                        request.settings().classpath(),
                        request.settings().flinkConfiguration(),
                        project.catalog());
        try {
            project.sources().forEach(s -> pool.catalog(s.relation().catalog()));
            project.models().values().forEach(m -> pool.catalog(m.relation().catalog()));
            TableDefinitions definitions = new TableDefinitions(project.catalog(), pool.compileSession());
            ModelPlanner modelPlanner =
                    new ModelPlanner(pool.catalogs(), definitions, pool.factory(), pool.classLoader());
            long start = System.nanoTime();
            if (!ProjectSources.register(project, pool, definitions, cache, sourceKeys, request.hints(), problems)) {
                skipped.addAll(needed);
                return;
            }
            request.log().debug("flink-dbt: sources ready in " + (System.nanoTime() - start) / 1_000_000 + " ms");
            schedule(needed, modelPlanner, pool);
        } finally {
            if (request.pool() == null) {
                pool.close();
            }
        }
    }

    /** Runs models as their inputs finish; a model whose input failed is skipped. */
    private void schedule(List<String> needed, ModelPlanner modelPlanner, PlannerPool pool) {
        Set<String> neededSet = new TreeSet<>(needed);
        Map<String, Integer> waiting = new HashMap<>();
        List<String> ready = new ArrayList<>();
        for (String name : needed) {
            long count = request.graph().parents(name).stream()
                    .filter(neededSet::contains)
                    .count();
            waiting.put(name, (int) count);
            if (count == 0) {
                ready.add(name);
            }
        }
        CompletionService<Outcome> running = new ExecutorCompletionService<>(pool.executor());
        int inFlight = 0;
        while (!ready.isEmpty() || inFlight > 0) {
            while (!ready.isEmpty()) {
                String name = ready.remove(0);
                Model model = project.model(name);
                String key = keys.model(model, inputs(model));
                PlannedModel hit = cache.lookup(name, key).orElse(null);
                if (hit != null) {
                    modelPlanner.register(model, hit, problems);
                    finish(hit, false, waiting, neededSet, ready);
                    continue;
                }
                PlanningErrors.Context context = errorContext(model);
                running.submit(() -> {
                    Problems local = new Problems();
                    long start = System.nanoTime();
                    PlannedModel result;
                    try {
                        result = modelPlanner.plan(model, pool.session(), key, context, local);
                    } catch (RuntimeException | LinkageError | AssertionError e) {
                        local.add(
                                model.position(),
                                "The Flink planner failed on model '" + name + "': "
                                        + String.valueOf(e).lines().findFirst().orElse(""),
                                "Flink's planner gave up on this query (an internal check failed). Simplify or "
                                        + "rewrite the query; run with -X for the details.");
                        request.log().debug(stackTrace(e));
                        result = null;
                    }
                    request.log().debug("Planned " + name + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
                    return new Outcome(name, result, local.sorted());
                });
                inFlight++;
            }
            if (inFlight > 0) {
                Outcome outcome = PlannerPool.await(take(running));
                inFlight--;
                problems.addAll(outcome.problems());
                if (outcome.result() == null) {
                    Set<String> downstream = request.graph().descendants(outcome.name(), -1);
                    downstream.retainAll(neededSet);
                    skipped.addAll(downstream);
                } else {
                    cache.store(outcome.result());
                    finish(outcome.result(), true, waiting, neededSet, ready);
                }
            }
        }
    }

    private void finish(
            PlannedModel result, boolean fresh, Map<String, Integer> waiting, Set<String> needed, List<String> ready) {
        results.put(result.name(), result);
        (fresh ? planned : reused).add(result.name());
        for (String child : request.graph().children(result.name())) {
            if (needed.contains(child) && !skipped.contains(child) && waiting.merge(child, -1, Integer::sum) == 0) {
                ready.add(child);
            }
        }
    }

    private record Outcome(String name, PlannedModel result, List<Problem> problems) {}

    private PlanningErrors.Context errorContext(Model model) {
        Map<String, List<String>> inputs = new LinkedHashMap<>();
        for (String ref : model.refs()) {
            PlannedModel upstream = results.get(ref);
            if (upstream != null) {
                inputs.put("ref('" + ref + "')", upstream.columnNames());
            }
        }
        for (String source : model.sources()) {
            SourceTable table = project.source(source);
            List<String> columns = sourceColumns(table);
            if (columns != null) {
                inputs.put("source('" + table.sourceName() + "', '" + table.name() + "')", columns);
            }
        }
        return new PlanningErrors.Context(inputs, project.models().keySet(), project.functions());
    }

    /** A source's columns: declared, from the catalog, or those of the seed or model writing its table. */
    private List<String> sourceColumns(SourceTable source) {
        if (source.node() != null) {
            PlannedModel writer = results.get(source.node());
            return writer == null ? null : writer.columnNames();
        }
        return source.columns().stream().map(c -> c.name()).toList();
    }

    private void checkDataTests() {
        for (DataTest test : project.dataTests()) {
            if (test.column() == null) {
                continue;
            }
            List<String> columns;
            if (test.onSource()) {
                SourceTable source = project.source(test.attachedTo());
                columns = source == null ? null : sourceColumns(source);
            } else {
                PlannedModel model = results.get(test.attachedTo());
                columns = model == null ? null : model.columnNames();
            }
            if (columns != null && !columns.contains(test.column())) {
                problems.add(
                        test.position(),
                        "Data test '" + test.testName() + "' is on column '" + test.column()
                                + "', which '" + test.attachedTo() + "' does not have."
                                + Suggestions.didYouMean(test.column(), columns),
                        "Its columns: " + String.join(", ", columns));
            }
        }
    }

    private static String stackTrace(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    private static Future<Outcome> take(CompletionService<Outcome> running) {
        try {
            return running.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlinkDbtException("Interrupted while planning models.", e);
        }
    }
}
