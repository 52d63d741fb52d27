package io.github.flinkdbt.report.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.HeadlessChromium;
import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.deploy.DeployHistory;
import io.github.flinkdbt.deploy.Deployer;
import io.github.flinkdbt.deploy.ModelDeployment;
import io.github.flinkdbt.home.ledger.DeployLock;
import io.github.flinkdbt.home.ledger.Ledger;
import io.github.flinkdbt.home.ledger.LedgerRecord;
import io.github.flinkdbt.home.ledger.LedgerRecord.Kind;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.interactions.WheelInput;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What only flink-dbt knows, on a streaming model's page: its state verdict, stateful operators with
 * their UIDs, and its deployments as the ledger recorded them (a real ledger on disk).
 */
class DocsStateAndHistoryTest {

    @TempDir
    Path dir;

    @Test
    void aStreamingModelsPageShowsItsStateAndItsDeployHistory() throws Exception {
        TestProjects.shop(dir);
        Settings settings = TestProjects.settings(dir).build();
        Ledger ledger = Ledger.open(Deployer.ledgerDirectory(settings, "shop"));
        DeployLock.Lease lease = ledger.lock().acquire("ci@build-7 4242", Duration.ofSeconds(30), Duration.ZERO);
        ledger.append(record("d-000001", Kind.DEPLOYMENT_STARTED, null, Map.of("who", "ci@build-7")), lease);
        ledger.append(record("d-000001", Kind.INTENT, "clicks_per_user", Map.of("action", "CREATE")), lease);
        ledger.append(
                record(
                        "d-000001",
                        Kind.JOB_SUBMITTING,
                        "clicks_per_user",
                        Map.of("job", "0123456789abcdef0123456789abcdef")),
                lease);
        ledger.append(record("d-000001", Kind.COMMITTED, "clicks_per_user", Map.of()), lease);
        ledger.append(record("d-000002", Kind.DEPLOYMENT_STARTED, null, Map.of("who", "alice")), lease);
        ledger.append(record("d-000002", Kind.INTENT, "clicks_per_user", Map.of("action", "UPGRADE")), lease);
        ledger.append(
                record(
                        "d-000002",
                        Kind.SAVEPOINT_TAKEN,
                        "clicks_per_user",
                        Map.of("savepoint", "file:/sp/savepoint-42")),
                lease);
        ledger.append(record("d-000002", Kind.FAILED, "clicks_per_user", Map.of("cause", "health gate")), lease);

        Map<String, List<ModelDeployment>> history = DeployHistory.byModel(settings, "shop");
        assertThat(history.get("clicks_per_user"))
                .extracting(
                        ModelDeployment::deployment,
                        ModelDeployment::who,
                        ModelDeployment::action,
                        ModelDeployment::outcome,
                        ModelDeployment::savepoint)
                .containsExactly(
                        tuple("d-000001", "ci@build-7", "CREATE", "committed", null),
                        tuple("d-000002", "alice", "UPGRADE", "failed", "file:/sp/savepoint-42"));
        assertThat(history.get("clicks_per_user").get(0).job()).isEqualTo("0123456789abcdef0123456789abcdef");

        URI index = FlinkDbt.docs(settings, TestProjects.invocation().build(), dir.resolve("target/flink-dbt-docs"));
        ChromeDriver browser = HeadlessChromium.start();
        try {
            browser.get(index + "#!/node/model.shop.clicks_per_user");
            new WebDriverWait(browser, Duration.ofSeconds(10))
                    .until(b ->
                            b.findElement(By.cssSelector("#page h1")).getText().equals("clicks_per_user"));
            String page = browser.findElement(By.id("page")).getText();
            // no baseline: the model is new, starts without state; its aggregate keeps state under a project UID
            assertThat(page).contains("State", "NEW", "clicks_per_user/group-aggregate/", "group-aggregate");
            assertThat(browser.findElements(By.cssSelector("svg.operators g.stateful")))
                    .isNotEmpty();
            assertThat(page)
                    .contains(
                            "Deploy history",
                            "#d-000001",
                            "ci@build-7",
                            "CREATE",
                            "committed",
                            "#d-000002",
                            "alice",
                            "UPGRADE",
                            "failed",
                            "file:/sp/savepoint-42");
            ((JavascriptExecutor) browser)
                    .executeScript(
                            "document.getElementById('page').scrollTop = document.querySelector('#page h2:nth-of-type(2)').offsetTop - 20");
            Files.createDirectories(DocsSiteBrowserTest.SCREENSHOTS);
            Files.copy(
                    browser.getScreenshotAs(OutputType.FILE).toPath(),
                    DocsSiteBrowserTest.SCREENSHOTS.resolve("state-and-history.png"),
                    StandardCopyOption.REPLACE_EXISTING);
            // a batch model has neither
            browser.get(index + "#!/node/model.shop.revenue_per_user");
            new WebDriverWait(browser, Duration.ofSeconds(10))
                    .until(b ->
                            b.findElement(By.cssSelector("#page h1")).getText().equals("revenue_per_user"));
            assertThat(browser.findElement(By.id("page")).getText()).doesNotContain("Deploy history", "State\n");
        } finally {
            browser.quit();
        }
    }

    @Test
    void aChangeThatLosesStateAndAFailedTestShowOnThePageAndTheGraphZoomsAndPans() throws Exception {
        TestProjects.shop(dir);
        FlinkDbt.compile(
                TestProjects.settings(dir).build(), TestProjects.invocation().build());
        copy(dir.resolve("target/flink-dbt"), dir.resolve("baseline"));
        // clicks per user and page: other group keys, so the aggregate's state no longer fits; user_id repeats
        Files.writeString(dir.resolve("src/main/sql/marts/clicks_per_user.sql"), """
                {{ config(materialized='streaming_table') }}
                select user_id, url, count(*) as clicks, max(viewed_at) as last_view
                from {{ ref('stg_page_views') }}
                group by user_id, url
                """);
        Settings settings = TestProjects.settings(dir).baseline("baseline").build();
        assertThatThrownBy(
                        () -> FlinkDbt.test(settings, TestProjects.invocation().build()))
                .hasMessageContaining("unique_clicks_per_user_user_id");

        URI index = FlinkDbt.docs(settings, TestProjects.invocation().build(), dir.resolve("target/flink-dbt-docs"));
        ChromeDriver browser = HeadlessChromium.start();
        try {
            browser.get(index + "#!/node/model.shop.clicks_per_user");
            new WebDriverWait(browser, Duration.ofSeconds(10))
                    .until(b ->
                            b.findElement(By.cssSelector("#page h1")).getText().equals("clicks_per_user"));
            String page = browser.findElement(By.id("page")).getText();
            assertThat(page)
                    .contains("STATE_INCOMPATIBLE", "on_state_incompatible: fail", "[user_id] → [user_id, url]");
            assertThat(page).containsPattern("unique_clicks_per_user_user_id\\s+user_id\\s+error\\s+fail");
            assertThat(page).containsPattern("not_null_clicks_per_user_user_id\\s+user_id\\s+error\\s+pass");

            // the graph: its node ringed as losing state; the wheel zooms, a drag pans
            browser.get(index + "#!/graph");
            new WebDriverWait(browser, Duration.ofSeconds(10))
                    .until(b -> "true".equals(b.findElement(By.tagName("body")).getDomAttribute("data-ready")));
            WebElement clicks = browser.findElement(By.cssSelector(".node[data-id='model.shop.clicks_per_user']"));
            assertThat(clicks.getDomAttribute("class")).contains("verdict-STATE_INCOMPATIBLE");
            WebElement viewport = browser.findElement(By.id("viewport"));
            String before = viewport.getDomAttribute("transform");
            WebElement graph = browser.findElement(By.id("graph"));
            new Actions(browser)
                    .scrollToElement(graph)
                    .scrollFromOrigin(WheelInput.ScrollOrigin.fromElement(graph), 0, -300)
                    .perform();
            String zoomed = viewport.getDomAttribute("transform");
            assertThat(scale(zoomed)).isGreaterThan(scale(before));
            // a drag on the empty top of the drawing (not on the legend, bottom left)
            new Actions(browser)
                    .moveToLocation(800, 120)
                    .clickAndHold()
                    .moveByOffset(120, -60)
                    .release()
                    .perform();
            String panned = viewport.getDomAttribute("transform");
            assertThat(panned).isNotEqualTo(zoomed);
            assertThat(scale(panned)).isEqualTo(scale(zoomed));
        } finally {
            browser.quit();
        }
    }

    private static double scale(String transform) {
        return Double.parseDouble(transform.replaceAll(".*scale\\(([^)]+)\\).*", "$1"));
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    private static LedgerRecord record(String deployment, Kind kind, String model, Map<String, String> facts) {
        return LedgerRecord.of(deployment, kind, model, facts);
    }
}
