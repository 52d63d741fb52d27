package io.github.flinkdbt.report.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.HeadlessChromium;
import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.api.Settings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The sample project's docs site in headless Chromium (Debian's chromium and chromium-driver),
 * opened from disk as a user would: it loads without console errors, draws every node, search and
 * selections focus the right nodes, a click opens the node's page, and a column's lineage is the
 * one the planner traced. Screenshots go to {@code target/docs-screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DocsSiteBrowserTest {

    static final Path SCREENSHOTS = Path.of("target", "docs-screenshots");

    private ChromeDriver browser;
    private Path site;

    @BeforeAll
    void writeTheSiteAndStartTheBrowser(@TempDir Path dir) throws IOException {
        Path project = dir.resolve("sample");
        Settings.Builder settings = TestProjects.sample(project);
        site = project.resolve("target/flink-dbt-docs");
        FlinkDbt.docs(settings.build(), TestProjects.invocation().build(), site);
        browser = HeadlessChromium.start();
    }

    @AfterAll
    void stopTheBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void openTheSite() {
        browser.get(site.resolve("index.html").toUri().toString());
        new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(b -> "true"
                        .equals(((ChromeDriver) b)
                                .findElement(By.tagName("body"))
                                .getDomAttribute("data-ready")));
    }

    @Test
    void theGraphShowsEveryNodeWithoutConsoleErrors() throws IOException {
        List<String> all = strings("return window.FLINK_DBT_DOCS.nodes.map(n => n.id)");
        List<String> withoutTests =
                strings("return window.FLINK_DBT_DOCS.nodes.filter(n => n.type !== 'test').map(n => n.id)");
        assertThat(drawn()).containsExactlyInAnyOrderElementsOf(withoutTests);
        assertThat(withoutTests)
                .contains(
                        "source.shop.shop.orders",
                        "model.shop.daily_revenue",
                        "seed.shop.products",
                        "exposure.shop.revenue_dashboard");
        screenshot("graph");

        browser.findElement(By.id("show-tests")).click();
        assertThat(drawn()).containsExactlyInAnyOrderElementsOf(all);
        assertThat(all.size()).isGreaterThan(withoutTests.size());
        screenshot("graph-with-tests");

        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
                .toList();
        assertThat(errors).isEmpty();
    }

    @Test
    void searchAndSelectionsFocusTheRightNodes() throws IOException {
        WebElement search = browser.findElement(By.id("search"));
        search.sendKeys("revenue");
        assertThat(nodes(".node.match"))
                .containsExactlyInAnyOrder(
                        "model.shop.daily_revenue", "model.shop.category_revenue", "exposure.shop.revenue_dashboard");
        assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("3 matches");
        search.clear();
        search.sendKeys(Keys.BACK_SPACE);

        WebElement select = browser.findElement(By.id("select"));
        select.sendKeys("+category_revenue", Keys.ENTER);
        new WebDriverWait(browser, Duration.ofSeconds(5))
                .until(b -> b.getCurrentUrl().contains("#!/graph/"));
        // valid_orders is ephemeral: inlined, so category_revenue reads stg_orders and the seed
        assertThat(nodes(".node:not(.dim)"))
                .containsExactlyInAnyOrder(
                        "model.shop.category_revenue",
                        "model.shop.valid_orders",
                        "model.shop.stg_orders",
                        "seed.shop.products",
                        "source.shop.shop.orders");
        screenshot("selection");

        browser.get(site.resolve("index.html").toUri() + "#!/graph/" + "config.materialized%3Astreaming_table");
        Set<String> streaming = new TreeSet<>(strings("return window.FLINK_DBT_DOCS.nodes"
                + ".filter(n => n.materialized === 'streaming_table').map(n => n.id)"));
        assertThat(streaming).hasSize(3);
        assertThat(new TreeSet<>(nodes(".node:not(.dim)"))).isEqualTo(streaming);
    }

    @Test
    void aClickOpensTheNodesPage() throws IOException {
        WebElement node = browser.findElement(By.cssSelector(".node[data-id='model.shop.daily_revenue']"));
        node.click();
        new WebDriverWait(browser, Duration.ofSeconds(5))
                .until(b -> b.findElement(By.cssSelector("#page h1")).getText().equals("daily_revenue"));
        String page = browser.findElement(By.id("page")).getText();
        assertThat(page)
                .contains("Revenue per day.", "order_date", "incremental", "Columns", "Upstream and downstream");
        assertThat(browser.findElement(By.id("code")).getText()).contains("is_incremental()");
        screenshot("model-page");

        browser.get(site.resolve("index.html").toUri() + "#!/node/model.shop.stg_page_views");
        String described = browser.findElement(By.id("page")).getText();
        // a {% docs %} block rendered from Markdown: inline code, no backticks left
        assertThat(described).contains("The path of the page, e.g. /products/42");
    }

    @Test
    void aColumnsLineageIsTheOneThePlannerTraced() throws IOException {
        browser.get(site.resolve("index.html").toUri() + "#!/lineage/model.shop.category_revenue/revenue");
        WebElement panel = browser.findElement(By.id("lineage-panel"));
        assertThat(panel.isDisplayed()).isTrue();
        assertThat(panel.getText())
                .contains("Where category_revenue.revenue comes from")
                // the planner looks through the view stg_orders and the ephemeral valid_orders to the source
                .contains("category_revenue.revenue ← shop.orders.amount (computed from it)")
                .contains("through stg_orders, valid_orders");
        assertThat(nodes(".node:not(.dim)"))
                .containsExactlyInAnyOrder(
                        "model.shop.category_revenue",
                        "model.shop.valid_orders",
                        "model.shop.stg_orders",
                        "source.shop.shop.orders");
        // a column taken as it is, through a join with the seed
        browser.get(site.resolve("index.html").toUri() + "#!/lineage/model.shop.category_revenue/category");
        assertThat(browser.findElement(By.id("lineage-panel")).getText())
                .contains("category_revenue.category ← products.category")
                .doesNotContain("computed from it");
        screenshot("column-lineage");
    }

    @Test
    void theSiteIsServedOnLocalhostAndNothingBesideIt() throws Exception {
        try (DocsServer server = DocsServer.start(site, 0, "-Dflink-dbt.docsPort=<port>")) {
            browser.get(server.url().toString());
            new WebDriverWait(browser, Duration.ofSeconds(10))
                    .until(b -> "true".equals(b.findElement(By.tagName("body")).getDomAttribute("data-ready")));
            assertThat(drawn()).contains("model.shop.daily_revenue");
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> manifest = http.send(
                    HttpRequest.newBuilder(server.url().resolve("manifest.json"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(manifest.statusCode()).isEqualTo(200);
            // a path out of the site's directory is not served
            HttpResponse<String> outside = http.send(
                    HttpRequest.newBuilder(URI.create(server.url() + "..%2F..%2Fpom.xml"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(outside.statusCode()).isEqualTo(404);
        }
    }

    private List<String> drawn() {
        return nodes("#nodes .node");
    }

    private List<String> nodes(String css) {
        return browser.findElements(By.cssSelector(css)).stream()
                .map(e -> e.getDomAttribute("data-id"))
                .toList();
    }

    @SuppressWarnings("unchecked")
    private List<String> strings(String script) {
        return (List<String>) ((JavascriptExecutor) browser).executeScript(script);
    }

    private void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Files.copy(
                browser.getScreenshotAs(OutputType.FILE).toPath(),
                SCREENSHOTS.resolve(name + ".png"),
                StandardCopyOption.REPLACE_EXISTING);
    }
}
