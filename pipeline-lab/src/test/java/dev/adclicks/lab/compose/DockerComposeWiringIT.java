package dev.adclicks.lab.compose;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.adclicks.infra.TopicReader;
import dev.adclicks.lab.ServiceProcess;
import dev.adclicks.model.PipelineJson;
import dev.adclicks.model.Topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The compose file's wiring, without Docker: {@link ComposeServices} starts each service from its jar
 * with the environment variables {@code docker-compose.yml} gives its container, host names mapped to
 * the local backend, on a database initialised by the mysql container's own script. The one local
 * broker stands in for compose's three: each service's bootstrap list is replaced by it, and its
 * replication factor (3) by 1. A variable with a wrong name, a missing grant or a host the service
 * cannot do without makes a test here fail. The dashboard in a real browser, on the same fixture:
 * {@link DashboardBrowserIT}.
 */
class DockerComposeWiringIT {

    static ComposeServices services;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startEachServiceWithItsComposeEnvironment() throws Exception {
        services = ComposeServices.start(Path.of("target", "compose-wiring"));
    }

    @AfterAll
    static void stop() {
        if (services != null) {
            services.close();
        }
    }

    @Test
    void everyServiceReportsKafkaInItsHealthAndTheSinkItsDatabase() throws Exception {
        for (ServiceProcess service : services.all()) {
            JsonNode health = getJson(service, "/actuator/health");
            assertThat(health.path("status").asString()).as(service.name()).isEqualTo("UP");
            assertThat(health.path("components").path("kafka").path("status").asString()).as(service.name())
                    .isEqualTo("UP");
        }
        assertThat(getJson(services.sink, "/actuator/health").path("components").path("db").path("status").asString())
                .isEqualTo("UP");
    }

    @Test
    void eachRelayReplicasTransactionalIdComesFromItsContainersHostnameAndTheyShareTheClicks() throws Exception {
        assertThat(services.relays).hasSize(ComposeFile.read().replicas("ad-event-relay")).hasSizeGreaterThan(1);
        for (int replica = 1; replica <= services.relays.size(); replica++) {
            JsonNode relayHealth = getJson(services.relays.get(replica - 1), "/actuator/health").path("components")
                    .path("transactionalRelay");
            assertThat(relayHealth.path("details").path("transactionalId").asString())
                    .isEqualTo("ad-event-relay-" + ComposeServices.relayContainerHostname(replica));
        }
        // one group, every replica a member with partitions of its own: none fenced the other
        try (Admin admin = Admin.create(services.infra.kafkaAdminConnection().clientProperties())) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of("ad-event-relay"))
                        .describedGroups().get("ad-event-relay").get();
                assertThat(group.members()).hasSize(services.relays.size())
                        .allSatisfy(member -> assertThat(member.assignment().topicPartitions()).isNotEmpty());
                assertThat(group.members()).flatMap(member -> member.assignment().topicPartitions())
                        .extracting(TopicPartition::topic).containsOnly(Topics.AD_CLICKS).hasSize(Topics.PARTITIONS);
            });
        }
    }

    @Test
    void theSinkWritesAsTheLeastPrivilegedUserWhileFlywayMigratedAsTheMigrator() throws Exception {
        Map<String, String> sinkEnvironment = ComposeFile.read().environment("ad-event-sink");
        String url = sinkEnvironment.get("SPRING_DATASOURCE_URL").replace("mysql:3306", services.mysqlHostPort);
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
        HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(services.producer.uri("/api/clicks"))
                .header("Content-Type", "application/json")
                // as a browser or gateway that already traces would send it
                .header("traceparent", "00-" + traceId + "-" + randomHex(16) + "-01")
                .POST(HttpRequest.BodyPublishers.ofString(click)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

        // in the logs: each service's line about this click carries the trace id
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(linesAbout(services.sink, clickId)).anyMatch(line -> line.contains("committed to MySQL"));
        });
        for (ServiceProcess service : List.of(services.producer, services.sink)) {
            assertThat(linesAbout(service, clickId)).as(service.name()).isNotEmpty()
                    .allMatch(line -> line.contains(traceId), "carries trace id " + traceId);
        }
        // the relay replica whose partition the click landed on
        List<String> relayLines = new ArrayList<>();
        for (ServiceProcess relay : services.relays) {
            relayLines.addAll(linesAbout(relay, clickId));
        }
        assertThat(relayLines).as("relay").isNotEmpty().allMatch(line -> line.contains(traceId),
                "carries trace id " + traceId);
        // in the records: both hops carry a traceparent of the same trace (each with its own span)
        for (String topic : List.of(Topics.AD_CLICKS, Topics.AD_EVENTS)) {
            ConsumerRecord<String, byte[]> record = TopicReader.readAll(services.infra.kafkaAdminConnection(), topic,
                    IsolationLevel.READ_COMMITTED).stream().filter(r -> adId.equals(r.key())).findFirst().orElseThrow();
            Header traceparent = record.headers().lastHeader("traceparent");
            assertThat(traceparent).as(topic).isNotNull();
            assertThat(new String(traceparent.value(), StandardCharsets.UTF_8)).as(topic).contains(traceId);
        }
    }

    @Test
    void theDashboardReachesEveryServiceAtTheUrlsComposeGivesItAndSendsThroughTheProducer() throws Exception {
        // every service answers the dashboard: nothing unreachable, one instance of each (here the
        // relay's name maps to its first replica; Docker's DNS would answer with both), MySQL counted
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode status = getJson(services.dashboard, "/api/pipeline");
            assertThat(status.path("unreachable")).as(status.toString()).isEmpty();
            for (String service : List.of("producer", "relay", "sink")) {
                assertThat(status.path(service).path("instances").asInt()).as(service).isEqualTo(1);
            }
            assertThat(status.path("durable").path("rowsInMysql").isNumber()).isTrue();
            assertThat(status.path("lag").path("sink").isNumber()).isTrue();
            // the cluster as the broker describes it: here the one local broker, every topic created
            assertThat(status.path("cluster").path("brokers")).hasSize(1);
            assertThat(status.path("cluster").path("brokers").get(0).path("up").asBoolean()).isTrue();
            assertThat(status.path("cluster").path("partitions")).hasSize(Topics.ALL.size() * Topics.PARTITIONS);
            assertThat(status.path("cluster").path("withoutLeader").asInt()).isZero();
        });

        HttpResponse<String> sent = http.send(HttpRequest.newBuilder(services.dashboard.uri("/api/demo/clicks"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"count\": 20, \"resendPercent\": 0}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
        assertThat(PipelineJson.mapper().readTree(sent.body()).path("accepted").asInt()).isEqualTo(20);
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

    static JsonNode getJson(ServiceProcess service, String path) throws IOException, InterruptedException {
        URI uri = path.startsWith("/actuator/") ? service.managementUri(path) : service.uri(path);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return PipelineJson.mapper().readTree(response.body());
    }
}
