package dev.adclicks.lab.compose;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real browser for the dashboard: Debian's {@code chromium} driven through its
 * {@code chromium-driver}, headless. Only {@link DashboardBrowserIT} uses it, in the Maven profile
 * {@code browser}; {@code .ci/run} installs both packages and turns that profile on. Without them
 * the test fails and says so — it never skips. The driver's path is given, so Selenium Manager never
 * tries to download a driver or a browser.
 */
final class HeadlessChromium {

    static final String CHROMEDRIVER = System.getProperty("chromedriver.path",
            envOr("CHROMEDRIVER_PATH", "/usr/bin/chromedriver"));
    static final String CHROMIUM = System.getProperty("chromium.path", envOr("CHROMIUM_PATH", "/usr/bin/chromium"));

    private HeadlessChromium() {
    }

    static WebDriver start() {
        File driver = new File(CHROMEDRIVER);
        if (!driver.canExecute() || !new File(CHROMIUM).canExecute()) {
            throw new IllegalStateException("No headless Chromium: need " + CHROMIUM + " and " + CHROMEDRIVER
                    + ". Install the Debian packages: apt-get install chromium chromium-driver (.ci/run does), "
                    + "or point -Dchromium.path / -Dchromedriver.path at them.");
        }
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver)
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000");
        return new ChromeDriver(service, options);
    }

    static Path screenshot(WebDriver browser, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        File png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        return Files.copy(png.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String envOr(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? otherwise : value;
    }
}
