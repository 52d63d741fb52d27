package io.github.flinkdbt.bench;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.HeadlessChromium;
import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.mojo.MavenHints;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The docs benchmark of site/benchmarks.md. For the N-model generated project (the planning
 * benchmark's) it measures, each in a fresh JVM:
 * <ol>
 *   <li>(a) compile-models from a cold start (empty cache), as the planning benchmark's (a);</li>
 *   <li>(d) the docs goal after it: the whole call (up-to-date check, project loaded from the plan
 *       cache, verdicts, site written), and the site alone (gathering and writing);</li>
 *   <li>(e) the first paint of the lineage graph in headless Chromium, the site opened from disk: the
 *       time from navigation start to the frame after the graph was drawn.</li>
 * </ol>
 * Run: {@code mvn -pl flink-dbt-maven-plugin -Pbench verify -Dbench.only=docs -Dbench.models=500}
 */
public final class DocsBenchmark {

    private static final Pattern SITE_SECONDS = Pattern.compile("docs of (\\d+) nodes .* \\((\\d+\\.\\d+) s\\)");

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("docs")) {
            docs(Path.of(args[1]));
            return;
        }
        int models = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        Path work = Path.of(args.length > 1 ? args[1] : "target/bench").toAbsolutePath();
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path project = work.resolve("docs-project-" + models);
        deleteRecursively(project);
        ProjectGenerator.write(project, models);
        System.out.printf(
                Locale.ROOT,
                "Docs benchmark: %d models, %d cores, Java %s, median of %d runs%n",
                models,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                runs);
        List<Long> compile = new ArrayList<>();
        List<Long> docs = new ArrayList<>();
        List<Long> site = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            deleteRecursively(project.resolve("target"));
            compile.add(fork(PlanningBenchmark.class, "compile", project).get("millis"));
            Map<String, Long> measured = fork(DocsBenchmark.class, "docs", project);
            docs.add(measured.get("millis"));
            site.add(measured.get("siteMillis"));
        }
        Path index = project.resolve("target/flink-dbt-docs/index.html");
        List<Long> paint = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            ChromeDriver browser = HeadlessChromium.start();
            try {
                browser.get(index.toUri().toString());
                new WebDriverWait(browser, Duration.ofSeconds(30))
                        .until(b ->
                                "true".equals(b.findElement(By.tagName("body")).getDomAttribute("data-ready")));
                Object painted = ((JavascriptExecutor) browser)
                        .executeScript("return performance.getEntriesByName('flink-dbt-graph-painted')[0].startTime");
                paint.add(Math.round(((Number) painted).doubleValue()));
                long drawn =
                        browser.findElements(By.cssSelector("#nodes .node")).size();
                if (run == 0) {
                    System.out.println("  [paint] " + drawn + " nodes drawn");
                    Path shot = work.resolve("docs-" + models + ".png");
                    Files.copy(
                            browser.getScreenshotAs(OutputType.FILE).toPath(),
                            shot,
                            StandardCopyOption.REPLACE_EXISTING);
                    System.out.println("  [paint] screenshot " + shot);
                }
            } finally {
                browser.quit();
            }
        }
        long a = median(compile);
        long d = median(docs);
        long s = median(site);
        long e = median(paint);
        System.out.printf(
                Locale.ROOT,
                "(a)  compile-models, cold JVM            : %6.1f s  (runs: %s)%n",
                a / 1000.0,
                seconds(compile));
        System.out.printf(
                Locale.ROOT,
                "(d)  docs goal after it, whole call     : %6.2f s  (runs: %s)%n",
                d / 1000.0,
                seconds(docs));
        System.out.printf(
                Locale.ROOT,
                "(d') the site alone (gather + write)    : %6.2f s  (runs: %s)%n",
                s / 1000.0,
                seconds(site));
        System.out.printf(
                Locale.ROOT,
                "(e)  first paint of the graph, Chromium : %6.2f s  (runs: %s)%n",
                e / 1000.0,
                seconds(paint));
        System.out.printf(
                Locale.ROOT,
                "(d)/(a) = %.3f, (d')/(a) = %.3f  (target < 0.10);  (e) target < 2 s%n",
                (double) d / a,
                (double) s / a);
    }

    /** (d): the entry point the docs goal calls, in Maven's JVM, after compile-models. */
    private static void docs(Path project) {
        Settings settings = Settings.builder(project)
                .defaultName("bench")
                .pluginVersion("bench")
                .build();
        List<String> lines = new ArrayList<>();
        Invocation invocation = Invocation.builder(TestProjects.capturing(lines), MavenHints.get())
                .environment(Map.of())
                .fork(true)
                .pluginClasspath(TestProjects.testClasspath())
                .build();
        long start = System.nanoTime();
        FlinkDbt.docs(settings, invocation, project.resolve("target/flink-dbt-docs"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        long site = -1;
        for (String line : lines) {
            Matcher m = SITE_SECONDS.matcher(line);
            if (m.find()) {
                System.out.println(m.group(1) + " nodes");
                site = Math.round(Double.parseDouble(m.group(2)) * 1000);
            }
        }
        System.out.println("millis=" + millis);
        System.out.println("siteMillis=" + site);
    }

    private static Map<String, Long> fork(Class<?> main, String mode, Path project)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(
                java,
                "-Xmx3g",
                "-XX:+UseParallelGC",
                "-cp",
                System.getProperty("java.class.path"),
                main.getName(),
                mode,
                project.toString());
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Map<String, Long> measured = new TreeMap<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                int eq = line.indexOf('=');
                if (eq > 0 && line.substring(eq + 1).matches("-?\\d+")) {
                    measured.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
                } else {
                    System.out.println("  [" + mode + "] " + line);
                }
            }
        }
        if (process.waitFor() != 0 || !measured.containsKey("millis")) {
            throw new IllegalStateException(mode + " failed (exit " + process.exitValue() + ")");
        }
        return measured;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static String seconds(List<Long> values) {
        return String.join(
                ", ",
                values.stream()
                        .map(v -> String.format(Locale.ROOT, "%.2f", v / 1000.0))
                        .toList());
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
