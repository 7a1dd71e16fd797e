package dev.adclicks.lab.compose;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.header.Header;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.adclicks.infra.Backend;
import dev.adclicks.infra.FreePorts;
import dev.adclicks.infra.PipelineInfrastructure;
import dev.adclicks.infra.TopicReader;
import dev.adclicks.lab.Pipeline;
import dev.adclicks.lab.ServiceProcess;
import dev.adclicks.model.PipelineJson;
import dev.adclicks.model.Topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The compose file's wiring, without Docker: each service is started from its jar with exactly the
 * environment variables {@code docker-compose.yml} gives its container — only the host names are
 * mapped to the local backend ({@code kafka:9092} to the local broker, {@code mysql:3306} to MariaDB,
 * {@code ad-event-relay:8082} to the relay's port here) — and MySQL is initialised by the same
 * script the mysql container runs. A variable with a wrong name, a missing grant or a host the
 * service cannot do without makes a test here fail.
 */
class DockerComposeWiringIT {

    /** What docker puts into every container: its own HOSTNAME (the container id). */
    private static final String RELAY_CONTAINER_HOSTNAME = "3f2a9c81d0e4";

    static PipelineInfrastructure infra;
    static ServiceProcess producer;
    static ServiceProcess relay;
    static ServiceProcess sink;
    static String mysqlHostPort;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startEachServiceWithItsComposeEnvironment() throws Exception {
        ComposeFile compose = ComposeFile.read();
        infra = PipelineInfrastructure.start(Backend.LOCAL);
        mysqlHostPort = URI.create(infra.jdbcUrl().substring("jdbc:".length())).getAuthority();
        runMysqlInitScripts();

        int relayPort = FreePorts.next();
        int sinkPort = FreePorts.next();
        Map<String, String> hosts = Map.of(
                "kafka:9092", infra.kafkaBootstrapServers(),
                "mysql:3306", mysqlHostPort,
                "ad-event-relay:8082", "127.0.0.1:" + relayPort,
                "ad-event-sink:8083", "127.0.0.1:" + sinkPort);
        Path logs = Path.of("target", "compose-wiring");

        Map<String, String> relayEnvironment = mapped(compose.environment("ad-event-relay"), hosts);
        relayEnvironment.put("HOSTNAME", RELAY_CONTAINER_HOSTNAME);
        relay = new ServiceProcess("ad-event-relay", Pipeline.serviceJar("ad-event-relay"), relayPort, Map.of(),
                relayEnvironment, logs);
        sink = new ServiceProcess("ad-event-sink", Pipeline.serviceJar("ad-event-sink"), sinkPort, Map.of(),
                mapped(compose.environment("ad-event-sink"), hosts), logs);
        producer = new ServiceProcess("ad-click-producer", Pipeline.serviceJar("ad-click-producer"), FreePorts.next(),
                Map.of(), mapped(compose.environment("ad-click-producer"), hosts), logs);
        List.of(relay, sink, producer).forEach(ServiceProcess::start);
        List.of(relay, sink, producer).forEach(ServiceProcess::awaitHealthy);
    }

    @AfterAll
    static void stop() {
        for (ServiceProcess service : new ServiceProcess[] { producer, relay, sink }) {
            if (service != null) {
                service.stop();
            }
        }
        if (infra != null) {
            infra.close();
        }
    }

    @Test
    void everyServiceReportsKafkaInItsHealthAndTheSinkItsDatabase() throws Exception {
        for (ServiceProcess service : List.of(producer, relay, sink)) {
            JsonNode health = getJson(service, "/actuator/health");
            assertThat(health.path("status").asString()).as(service.name()).isEqualTo("UP");
            assertThat(health.path("components").path("kafka").path("status").asString()).as(service.name())
                    .isEqualTo("UP");
        }
        assertThat(getJson(sink, "/actuator/health").path("components").path("db").path("status").asString())
                .isEqualTo("UP");
    }

    @Test
    void theRelaysTransactionalIdComesFromItsContainersHostname() throws Exception {
        JsonNode relayHealth = getJson(relay, "/actuator/health").path("components").path("transactionalRelay");
        assertThat(relayHealth.path("details").path("transactionalId").asString())
                .isEqualTo("ad-event-relay-" + RELAY_CONTAINER_HOSTNAME);
    }

    @Test
    void theSinkWritesAsTheLeastPrivilegedUserWhileFlywayMigratedAsTheMigrator() throws Exception {
        Map<String, String> sinkEnvironment = ComposeFile.read().environment("ad-event-sink");
        String url = sinkEnvironment.get("SPRING_DATASOURCE_URL").replace("mysql:3306", mysqlHostPort);
        try (Connection app = DriverManager.getConnection(url, sinkEnvironment.get("SPRING_DATASOURCE_USERNAME"),
                sinkEnvironment.get("SPRING_DATASOURCE_PASSWORD")); Statement statement = app.createStatement()) {
            try (ResultSet migrations = statement.executeQuery(
                    "SELECT DISTINCT installed_by FROM flyway_schema_history WHERE success = 1")) {
                assertThat(migrations.next()).isTrue();
                assertThat(migrations.getString(1)).isEqualTo(sinkEnvironment.get("SPRING_FLYWAY_USER"));
            }
            assertThatThrownBy(() -> statement.execute("CREATE TABLE not_allowed (id INT)"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("denied");
            assertThatThrownBy(() -> statement.execute("DROP TABLE click_event"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("denied");
        }
    }

    @Test
    void oneTraceIdFollowsAClickFromTheHttpRequestThroughTheRelayToTheSink() throws Exception {
        String traceId = randomHex(32);
        UUID clickId = UUID.randomUUID();
        String adId = "traced-" + clickId;
        String click = """
                {"clickId":"%s","adId":"%s","campaignId":"summer-sale","userId":"user-1","occurredAt":"%s"}"""
                .formatted(clickId, adId, Instant.now());
        HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(producer.uri("/api/clicks"))
                .header("Content-Type", "application/json")
                // as a browser or gateway that already traces would send it
                .header("traceparent", "00-" + traceId + "-" + randomHex(16) + "-01")
                .POST(HttpRequest.BodyPublishers.ofString(click)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

        // in the logs: each service's line about this click carries the trace id
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(linesAbout(sink, clickId)).anyMatch(line -> line.contains("committed to MySQL"));
        });
        for (ServiceProcess service : List.of(producer, relay, sink)) {
            assertThat(linesAbout(service, clickId)).as(service.name()).isNotEmpty()
                    .allMatch(line -> line.contains(traceId), "carries trace id " + traceId);
        }
        // in the records: both hops carry a traceparent of the same trace (each with its own span)
        for (String topic : List.of(Topics.AD_CLICKS, Topics.AD_EVENTS)) {
            ConsumerRecord<String, byte[]> record = TopicReader.readAll(infra.kafkaBootstrapServers(), topic,
                    IsolationLevel.READ_COMMITTED).stream().filter(r -> adId.equals(r.key())).findFirst().orElseThrow();
            Header traceparent = record.headers().lastHeader("traceparent");
            assertThat(traceparent).as(topic).isNotNull();
            assertThat(new String(traceparent.value(), StandardCharsets.UTF_8)).as(topic).contains(traceId);
        }
    }

    @Test
    void theLivePageShowsTheClicksItSendsMoveThroughEveryStage() throws Exception {
        WebDriver browser = HeadlessChromium.start();
        try {
            browser.get(producer.uri("/").toString());
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

            Path screenshot = HeadlessChromium.screenshot(browser, Path.of("target", "screenshots", "live-page.png"));
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

    private static List<String> linesAbout(ServiceProcess service, UUID clickId) throws IOException {
        try (var lines = Files.lines(service.log())) {
            return lines.filter(line -> line.contains("click " + clickId)).toList();
        }
    }

    private static String randomHex(int digits) {
        StringBuilder hex = new StringBuilder();
        while (hex.length() < digits) {
            hex.append(Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE));
        }
        return hex.substring(0, digits);
    }

    /** The script the mysql container runs from /docker-entrypoint-initdb.d, statement by statement, as root. */
    private static void runMysqlInitScripts() throws IOException, SQLException {
        Path dir = ComposeFile.PATH.toAbsolutePath().getParent().resolve("docker/mysql/init");
        List<Path> scripts;
        try (var files = Files.list(dir)) {
            scripts = files.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
        }
        assertThat(scripts).as("init scripts in " + dir).isNotEmpty();
        try (Connection root = DriverManager.getConnection(infra.jdbcUrl(), infra.jdbcUsername(), infra.jdbcPassword());
                Statement statement = root.createStatement()) {
            for (Path script : scripts) {
                for (String sql : statements(Files.readString(script))) {
                    statement.execute(sql);
                }
            }
        }
    }

    private static List<String> statements(String script) {
        StringBuilder withoutComments = new StringBuilder();
        script.lines().filter(line -> !line.strip().startsWith("--")).forEach(line -> withoutComments.append(line).append('\n'));
        List<String> statements = new ArrayList<>();
        for (String sql : withoutComments.toString().split(";")) {
            if (!sql.isBlank()) {
                statements.add(sql.strip());
            }
        }
        return statements;
    }

    private static Map<String, String> mapped(Map<String, String> environment, Map<String, String> hosts) {
        Map<String, String> mapped = new LinkedHashMap<>();
        environment.forEach((name, value) -> {
            String local = value;
            for (Map.Entry<String, String> host : hosts.entrySet()) {
                local = local.replace(host.getKey(), host.getValue());
            }
            mapped.put(name, local);
        });
        return mapped;
    }

    static JsonNode getJson(ServiceProcess service, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(service.uri(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return PipelineJson.mapper().readTree(response.body());
    }
}
