package dev.adclicks.lab.compose;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.adclicks.model.Topics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real browser ({@link HeadlessChromium}), on the services started the compose
 * way ({@link ComposeServices}): its form sends clicks through the producer's HTTP API, and the
 * page shows them move through every stage, and the Kafka cluster's brokers and partitions. Runs in the Maven profile {@code browser}
 * ({@code ./mvnw verify -Pbrowser}, which {@code .ci/run} uses after installing Chromium); plain
 * {@code ./mvnw verify} leaves this class out and needs no browser.
 */
class DashboardBrowserIT {

    static ComposeServices services;

    @BeforeAll
    static void startEachServiceWithItsComposeEnvironment() throws Exception {
        // one relay replica: here the dashboard reaches the relay's name at one address, so with one
        // replica the relay counts on the page are the whole pipeline's (DockerComposeWiringIT runs
        // compose's two)
        services = ComposeServices.start(Path.of("target", "dashboard-browser"), 1);
    }

    @AfterAll
    static void stop() {
        if (services != null) {
            services.close();
        }
    }

    @Test
    void theDashboardShowsTheClicksItSendsMoveThroughEveryStage() throws Exception {
        WebDriver browser = HeadlessChromium.start();
        try {
            browser.get(services.dashboard.uri("/").toString());
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(90));
            // the first refresh has filled the page: the relay and the sink answered
            wait.until(page -> count(page, "relay.instances") == 1 && count(page, "durable.rowsInMysql") >= 0);
            long rowsBefore = count(browser, "durable.rowsInMysql");
            long acceptedBefore = count(browser, "producer.accepted");
            long absorbedBefore = count(browser, "sink.duplicatesAbsorbed");

            type(browser, "click-count", "400");
            type(browser, "resend-percent", "10");
            browser.findElement(By.id("send-clicks")).click();

            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("send-result"), "accepted 400"));
            assertThat(browser.findElement(By.id("send-result")).getText()).contains("re-sent 40")
                    .contains("not acknowledged 0");
            // every stage moves: accepted at the producer, committed by the relay, 400 rows, 40 absorbed
            wait.until(page -> count(page, "durable.rowsInMysql") == rowsBefore + 400
                    && count(page, "sink.duplicatesAbsorbed") >= absorbedBefore + 40
                    && count(page, "lag.sink") == 0);
            assertThat(count(browser, "producer.accepted")).isEqualTo(acceptedBefore + 440);
            assertThat(count(browser, "relay.eventsCommitted")).isGreaterThanOrEqualTo(440);
            assertThat(count(browser, "relay.transactionsCommitted")).isPositive();
            assertThat(count(browser, "durable.clicksInAggregates")).isEqualTo(count(browser, "durable.rowsInMysql"));
            assertThat(browser.findElement(By.id("verdict")).getText())
                    .isEqualTo("every stored click counted exactly once");
            assertThat(browser.findElement(By.id("guards")).getText()).contains("3. unique key");
            assertThat(browser.findElement(By.id("unreachable")).isDisplayed()).isFalse();
            // the Kafka cluster: here the one local broker, leading every partition of the six topics
            assertThat(browser.findElement(By.id("cluster-summary")).getText())
                    .isEqualTo("1 of 1 brokers up · every partition fully replicated");
            assertThat(browser.findElements(By.cssSelector("#cluster-brokers li"))).singleElement()
                    .satisfies(broker -> assertThat(broker.getText()).startsWith("broker 1 · ").contains(" · up · leads " + Topics.ALL.size() * Topics.PARTITIONS));
            List<WebElement> partitions = browser.findElements(By.cssSelector("#cluster-partitions tbody tr"));
            assertThat(partitions).hasSize(Topics.ALL.size() * Topics.PARTITIONS);
            assertThat(partitions.get(0).getText()).isEqualTo("ad-clicks 0 1 1 1 (1 of 1) 1");

            Path screenshot = HeadlessChromium.screenshot(browser, Path.of("target", "screenshots", "dashboard.png"));
            assertThat(Files.size(screenshot)).isPositive();
        }
        finally {
            browser.quit();
        }
    }

    /** The number shown in the element with this {@code data-field} ("1,234" is 1234; "–" or "?" is -1). */
    private static long count(WebDriver page, String field) {
        String text = page.findElement(By.cssSelector("[data-field='" + field + "']")).getText().replace(",", "");
        return text.matches("\\d+") ? Long.parseLong(text) : -1;
    }

    private static void type(WebDriver page, String id, String value) {
        WebElement input = page.findElement(By.id(id));
        input.clear();
        input.sendKeys(value);
    }
}
