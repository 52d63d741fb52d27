package io.github.flinkdbt.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.HeadlessChromium;
import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.cluster.EmbeddedCluster;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.Json;
import io.github.flinkdbt.mojo.MavenHints;
import io.github.flinkdbt.run.RunOutcome;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Every verdict checked by a real restore: the baseline project runs on the embedded cluster and
 * is stopped with a savepoint per model half way through its input; the changed project is checked
 * against what ran (its plans and savepoints), then run from those savepoints to the end of its
 * input. A model judged compatible must restore and continue its counts exactly; one judged
 * incompatible must be refused by Flink (its state has no operator to go to), never restored
 * into an operator that would misread it.
 */
class StateRestoreMatrixTest {

    private static final int ROWS = 1000;

    /** Slow enough that the jobs, started one after another, are all stopped before their input ends. */
    private static final int ROWS_PER_SECOND = 20;

    /**
     * After the stop nothing needs stopping half way: the rest of the input comes faster. The rate
     * is a source option, which compiled plans do not hold (they name the source table), so it
     * changes no verdict.
     */
    private static final int ROWS_PER_SECOND_AFTER = 500;

    /** The models whose {@code cnt} counts the events they read before the stop. */
    private static final List<String> COUNTED = List.of(
            "filter_added",
            "computed_after",
            "projected_after",
            "alias_renamed",
            "key_changed",
            "aggregate_added",
            "ttl_changed",
            "ttl_removed",
            "key_expression_changed",
            "untouched");

    private static EmbeddedCluster cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void startCluster() {
        cluster = EmbeddedCluster.start(0, 16, Map.of(), MavenHints.get());
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void verdictsMatchWhatFlinkDoesWithTheSavepoints() throws Exception {
        Path project = dir.resolve("p");
        Path home = dir.resolve("home");
        StateCases.write(project, false, ROWS, ROWS_PER_SECOND);
        List<String> firstLog = Collections.synchronizedList(new ArrayList<>());
        // stopped once every model has committed output of its own: half way through its input
        RunOutcome first = TestProjects.runUntilStopped(
                settings(project, home), invocation(firstLog), firstLog, 240, () -> everyTableCommitted(home));
        assertThat(first.models())
                .allSatisfy(m -> assertThat(m.message()).as(m.name()).startsWith("stopped with savepoint"));
        Map<String, Long> atStop = sums(home, COUNTED, "cnt");
        atStop.forEach((model, count) -> assertThat(count)
                .as(model + " counted part of its input at the stop")
                .isPositive()
                .isLessThan(ROWS));

        StateCases.write(project, true, ROWS, ROWS_PER_SECOND_AFTER);
        TestProjects.write(
                project,
                "src/main/sql/added_model.sql",
                StateCases.AGG + "select user_id, count(*) as n from {{ source('gen', 'events') }} group by user_id");
        List<String> checkLog = new ArrayList<>();
        Settings check =
                settings(project, home).toBuilder().baseline(home.toString()).build();
        assertThatThrownBy(() -> FlinkDbt.checkStateCompat(check, invocation(checkLog)))
                .isInstanceOf(FlinkDbtException.class);
        Map<String, Verdict> verdicts = new TreeMap<>();
        Map<String, JsonNode> reports = new TreeMap<>();
        for (JsonNode model : Json.read(Files.readString(project.resolve("target/flink-dbt/state-compat.json")))
                .path("models")) {
            verdicts.put(
                    model.path("name").asText(),
                    Verdict.valueOf(model.path("verdict").asText()));
            reports.put(model.path("name").asText(), model);
        }
        StateCases.CASES
                .values()
                .forEach(c -> assertThat(verdicts.get(c.model())).as(c.model()).isEqualTo(c.verdict()));
        assertThat(verdicts).containsEntry("added_model", Verdict.NEW);
        // the savepoints were read: state sizes per restoring operator
        assertThat(reports.get("untouched").path("operators").toString()).contains("\"stateBytes\"");
        stateSizesShowOnTheDocsSite(check, project, reports.get("untouched"));
        savepointsGivenExplicitly(project, home);

        List<String> secondLog = new ArrayList<>();
        Map<String, String> failed = new TreeMap<>();
        try {
            FlinkDbt.run(settings(project, home), invocation(secondLog));
        } catch (FlinkDbtException e) {
            e.getMessage().lines().filter(line -> line.startsWith("  ")).forEach(line -> {
                String[] parts = line.trim().split(": ", 2);
                failed.put(parts[0], parts.length > 1 ? parts[1] : "");
            });
        }
        String log = String.join("\n", secondLog);
        for (Map.Entry<String, Verdict> verdict : verdicts.entrySet()) {
            String model = verdict.getKey();
            if (verdict.getValue() == Verdict.NEW) {
                assertThat(log).containsPattern(model + " .*starts empty");
            } else if (verdict.getValue() != Verdict.STATE_INCOMPATIBLE) {
                // judged to keep its state: restored from the savepoint, ran to the end
                assertThat(failed)
                        .as(model + " (" + verdict.getValue() + ") must restore")
                        .doesNotContainKey(model);
                assertThat(log).as(model).containsPattern(model + " .*restored from savepoint-");
            } else {
                // its state has no operator to go to (a new UID, or a replaced table's new sink): Flink
                // refuses the savepoint; it never restores into an operator that would misread it
                assertThat(failed)
                        .as(model + " (" + verdict.getValue() + ") must be refused")
                        .containsKey(model);
                assertThat(failed.get(model))
                        .as(model)
                        .contains("because the operator is not available in the new program");
            }
        }
        // counts continue from the savepoint: each event counted once, nothing lost, nothing twice; a
        // new upstream filter applies to the events after the stop only
        long filteredAtStop = atStop.get("filter_added");
        long passingAfterStop = LongStream.rangeClosed(filteredAtStop + 1, ROWS)
                .filter(id -> id % 3 != 1)
                .count();
        assertThat(sums(home, List.of("untouched", "computed_after", "ttl_changed", "filter_added"), "cnt"))
                .isEqualTo(Map.of(
                        "untouched", (long) ROWS,
                        "computed_after", (long) ROWS,
                        "ttl_changed", (long) ROWS,
                        "filter_added", filteredAtStop + passingAfterStop));
        assertThat(sums(home, List.of("added_model"), "n")).isEqualTo(Map.of("added_model", (long) ROWS));
        // a new grouping expression: the old keys keep what they counted before the stop, new ones count the rest
        long keyedAtStop = atStop.get("key_expression_changed");
        assertThat(TestProjects.query(
                        home,
                        "SELECT SUM(cnt) FROM flink_dbt.p.key_expression_changed WHERE page LIKE '/p%'",
                        "SELECT SUM(cnt) FROM flink_dbt.p.key_expression_changed WHERE page LIKE '/P%'"))
                .containsExactly("ROW +I[" + keyedAtStop + "]", "ROW +I[" + (ROWS - keyedAtStop) + "]");
    }

    /** Whether the table of every model has a commit (snapshot) beyond its creation. */
    private static boolean everyTableCommitted(Path home) {
        for (String model : StateCases.CASES.keySet()) {
            Path metadata = home.resolve("warehouse/p/" + model + "/metadata");
            if (!Files.isRegularFile(metadata.resolve("v2.metadata.json"))) {
                return false;
            }
        }
        return true;
    }

    /** {@code SUM(column)} of each model's table, all read by one query JVM. */
    private static Map<String, Long> sums(Path home, List<String> models, String column) throws Exception {
        List<String> rows = TestProjects.query(
                home,
                models.stream()
                        .map(model -> "SELECT SUM(" + column + ") FROM flink_dbt.p." + model)
                        .toArray(String[]::new));
        assertThat(rows).hasSize(models.size());
        Map<String, Long> sums = new TreeMap<>();
        for (int i = 0; i < models.size(); i++) {
            sums.put(models.get(i), Long.parseLong(rows.get(i).replaceAll("\\D", "")));
        }
        return sums;
    }

    /**
     * The docs site shows each stateful operator's state in the savepoint, as check-state-compat read
     * it: the sizes of the operators under its UID, in a real browser.
     */
    private static void stateSizesShowOnTheDocsSite(Settings check, Path project, JsonNode untouched) {
        URI index = FlinkDbt.docs(check, invocation(new ArrayList<>()), project.resolve("target/flink-dbt-docs"));
        ChromeDriver browser = HeadlessChromium.start();
        try {
            browser.get(index + "#!/node/model.p.untouched");
            new WebDriverWait(browser, Duration.ofSeconds(10))
                    .until(b ->
                            b.findElement(By.cssSelector("#page h1")).getText().equals("untouched"));
            List<String> shown =
                    browser.findElements(By.xpath("//table[tr/th[text()='size (last savepoint)']]/tr/td[4]")).stream()
                            .map(WebElement::getText)
                            .toList();
            // the source's, the aggregate's and the sink's (its committer's): each as check-state-compat read it
            List<String> read = new ArrayList<>();
            untouched
                    .path("operators")
                    .forEach(o ->
                            read.add(OperatorCheck.size(o.path("stateBytes").asLong())));
            assertThat(read).hasSize(3).allMatch(size -> size.matches("[1-9][0-9.]* (B|KiB|MiB)"));
            assertThat(shown).containsExactlyInAnyOrderElementsOf(read);
            assertThat(browser.findElement(By.id("page")).getText()).contains("UNCHANGED");
        } finally {
            browser.quit();
        }
    }

    /** {@code -Dflink-dbt.savepoint} as model=path pairs and as a directory of savepoints. */
    private static void savepointsGivenExplicitly(Path project, Path home) throws Exception {
        Path untouched = lastSavepoint(home, "untouched");
        Path functionChanged = lastSavepoint(home, "function_changed");
        Map<String, JsonNode> byPair =
                checkWith(project, home, "untouched=" + untouched + ", function_changed=" + functionChanged);
        assertThat(byPair.get("untouched").path("operators")).allSatisfy(operator -> {
            assertThat(operator.path("outcome").asText()).isIn(OperatorCheck.RESTORES, OperatorCheck.NEW);
            assertThat(operator.path("stateBytes").asLong()).isGreaterThanOrEqualTo(0);
        });
        assertThat(byPair.get("untouched").path("operators").toString()).contains("\"outcome\":\"restores\"");
        // the old MAX aggregate's state is in the savepoint, and nothing in the new plan takes it
        JsonNode dropped = null;
        for (JsonNode operator : byPair.get("function_changed").path("operators")) {
            if (operator.path("outcome").asText().equals(OperatorCheck.DROPPED)) {
                dropped = operator;
            }
        }
        assertThat(dropped)
                .as("function_changed: the old aggregate's state is dropped")
                .isNotNull();
        assertThat(dropped.path("uid").asText()).startsWith("function_changed/");
        assertThat(dropped.path("stateBytes").asLong()).isPositive();
        assertThat(byPair.get("function_changed").path("reasons").toString()).contains("holds state no operator");
        // only the two named models were checked against a savepoint
        assertThat(byPair.get("filter_added").path("operators").toString()).doesNotContain("stateBytes");

        Map<String, JsonNode> byDirectory =
                checkWith(project, home, home.resolve("state").toString());
        assertThat(byDirectory.get("filter_added").path("operators").toString()).contains("stateBytes");
        assertThat(byDirectory.get("function_changed").toString())
                .isEqualTo(byPair.get("function_changed").toString());
        // the same savepoints named by a URI, as a home on shared storage names them
        assertThat(checkWith(project, home, home.resolve("state").toUri().toString()))
                .isEqualTo(byDirectory);

        assertThatThrownBy(() -> checkWith(project, home, "untouched"))
                .hasMessageContaining(
                        "-Dflink-dbt.savepoint=untouched: no such directory (" + project.resolve("untouched") + ").");
        assertThatThrownBy(() -> checkWith(project, home, "untouched=" + home.resolve("state")))
                .hasMessageContaining("has no _metadata file");
    }

    private static Map<String, JsonNode> checkWith(Path project, Path home, String savepoint) throws Exception {
        try {
            FlinkDbt.checkStateCompat(
                    settings(project, home).toBuilder()
                            .baseline(home.toString())
                            .savepoint(savepoint)
                            .build(),
                    TestProjects.invocation().build());
        } catch (FlinkDbtException incompatible) {
            if (!incompatible.getMessage().contains("cannot keep its state")) {
                throw incompatible;
            }
        }
        Map<String, JsonNode> reports = new TreeMap<>();
        for (JsonNode model : Json.read(Files.readString(project.resolve("target/flink-dbt/state-compat.json")))
                .path("models")) {
            reports.put(model.path("name").asText(), model);
        }
        return reports;
    }

    private static Path lastSavepoint(Path home, String model) throws Exception {
        return Path.of(URI.create(Files.readString(home.resolve("state/p/" + model + "/last-savepoint"))
                .trim()));
    }

    private static Settings settings(Path project, Path home) {
        return TestProjects.settings(project)
                .defaultName("p")
                .home(home)
                .cluster(cluster.restAddress())
                .build();
    }

    private static Invocation invocation(List<String> lines) {
        return TestProjects.invocation(TestProjects.capturing(lines)).build();
    }
}
