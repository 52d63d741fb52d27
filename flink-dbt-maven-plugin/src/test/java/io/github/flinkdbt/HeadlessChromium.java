package io.github.flinkdbt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/** Headless Chromium from Debian's packages, driven without Selenium Manager (no network). */
public final class HeadlessChromium {

    private HeadlessChromium() {}

    /** A browser with a 1400×900 window that keeps the page's console messages. Quit it. */
    public static ChromeDriver start() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(binary("chromium", "/usr/bin/chromium", "/usr/lib/chromium/chromium"));
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--window-size=1400,900",
                "--disable-dev-shm-usage",
                "--allow-file-access-from-files");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(
                        Path.of(binary("chromedriver", "/usr/bin/chromedriver")).toFile())
                .build();
        return new ChromeDriver(service, options);
    }

    private static String binary(String name, String... candidates) {
        for (String candidate : candidates) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("No " + name + " found (" + String.join(", ", candidates)
                + "): install Debian's chromium and chromium-driver (.ci/run does).");
    }
}
