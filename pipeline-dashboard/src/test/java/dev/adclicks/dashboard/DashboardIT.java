package dev.adclicks.dashboard;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import dev.adclicks.infra.KafkaConnection;
import dev.adclicks.infra.PipelineInfrastructure;
import dev.adclicks.infra.RealServers;
import dev.adclicks.infra.TopicReader;
import dev.adclicks.model.AdClick;
import dev.adclicks.model.PipelineJson;
import dev.adclicks.model.Topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard against the real broker and a real producer process ({@link RunningProducer}); the
 * relay and the sink are not running (their URLs point at a port nobody listens on), which the
 * status must say instead of failing. The page in a real browser, with the whole pipeline:
 * {@code DashboardBrowserIT} in pipeline-lab ({@code ./mvnw verify -Pbrowser}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dashboard.relay.management-url=http://127.0.0.1:9", "dashboard.sink.url=http://127.0.0.1:9",
        "dashboard.sink.management-url=http://127.0.0.1:9",
        "dashboard.max-demo-clicks=500", "dashboard.timeout=1s" })
@Import({ RealServers.class, RunningProducer.class })
class DashboardIT {

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Value("${dashboard.producer.url}")
    URI producerUrl;

    DashboardApi api;

    @BeforeEach
    void connect() {
        api = new DashboardApi(port);
    }

    @Test
    void thePageIsServedAtTheRoot() {
        DashboardApi.Response page = api.get("/");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).contains("id=\"send-clicks\"").contains("id=\"cluster-partitions\"")
                .contains("dashboard.js");
        assertThat(api.get("/dashboard.js").status()).isEqualTo(200);
    }

    @Test
    void itIsHealthyWithTheBrokerItReadsOffsetsFromInItsHealth() {
        assertThat(api.get("/actuator/health").status()).as("no actuator on the public port").isEqualTo(404);
        JsonNode health = new DashboardApi(managementPort).get("/actuator/health").json();

        assertThat(health.path("status").asString()).isEqualTo("UP");
        assertThat(health.path("components").path("kafka").path("status").asString()).isEqualTo("UP");
    }

    @Test
    void demoClicksGoThroughTheProducersHttpApiAndAShareIsResentWithTheSameClickIds() {
        Map<TopicPartition, Long> before = adClicksEnd();
        String traceId = randomHex(32);

        DashboardApi.Response response = api.post("/api/demo/clicks", """
                {"count": 30, "resendPercent": 10}""",
                // as a browser or gateway that already traces would send it
                Map.of("traceparent", "00-" + traceId + "-" + randomHex(16) + "-01"));

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        JsonNode result = response.json();
        assertThat(result.path("accepted").asInt()).isEqualTo(30);
        assertThat(result.path("resent").asInt()).isEqualTo(3);
        assertThat(result.path("failed").asInt()).isZero();
        // in ad-clicks: 33 records of 30 clicks, 3 of them twice with the same clickId, as a client
        // that retried after a lost response would have sent them
        List<ConsumerRecord<String, byte[]>> written = TopicReader.readAll(kafka(), Topics.AD_CLICKS,
                IsolationLevel.READ_UNCOMMITTED).stream()
                .filter(r -> r.offset() >= before.getOrDefault(new TopicPartition(r.topic(), r.partition()), 0L))
                .toList();
        assertThat(written).hasSize(33);
        Map<UUID, Long> recordsPerClick = written.stream()
                .map(r -> PipelineJson.read(r.value(), AdClick.class).clickId())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(recordsPerClick).hasSize(30);
        assertThat(recordsPerClick.values().stream().filter(n -> n == 2)).hasSize(3);
        // the request's trace went with it: dashboard -> producer (HTTP traceparent) -> each record
        for (ConsumerRecord<String, byte[]> record : written) {
            Header traceparent = record.headers().lastHeader("traceparent");
            assertThat(traceparent).isNotNull();
            assertThat(new String(traceparent.value(), StandardCharsets.UTF_8))
                    .matches("00-" + traceId + "-[0-9a-f]{16}-0[0-3]");
        }
    }

    @Test
    void anImpossibleDemoRequestIsA400ProblemAndSendsNothing() {
        Map<TopicPartition, Long> before = adClicksEnd();

        for (String request : new String[] { "{\"count\": 0, \"resendPercent\": 10}",
                "{\"count\": 501, \"resendPercent\": 10}", "{\"count\": 10, \"resendPercent\": 101}" }) {
            DashboardApi.Response response = api.post("/api/demo/clicks", request);
            assertThat(response.status()).as(request).isEqualTo(400);
            assertThat(response.contentType()).isEqualTo("application/problem+json");
            assertThat(response.json().path("detail").asString()).as(request).containsAnyOf("count", "resendPercent");
        }
        assertThat(adClicksEnd()).isEqualTo(before);
    }

    @Test
    void theStatusNamesWhatItCannotReachAndStillReportsWhatItCan() {
        assertThat(api.post("/api/demo/clicks", "{\"count\": 5, \"resendPercent\": 0}").status()).isEqualTo(202);

        // as the page polls it: a Kafka admin call slower than dashboard.timeout leaves the broker's
        // numbers unknown (null) for one refresh
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            DashboardApi.Response response = api.get("/api/pipeline");

            assertThat(response.status()).isEqualTo(200);
            JsonNode status = response.json();
            // the producer's own meters, read from its /actuator/pipeline
            assertThat(status.path("producer").path("instances").asInt()).isEqualTo(1);
            assertThat(status.path("producer").path("accepted").asLong()).isGreaterThanOrEqualTo(5);
            assertThat(status.path("durable").path("adClicksRecords").asLong()).isGreaterThanOrEqualTo(5);
            assertThat(status.path("relay").path("instances").asInt()).isZero();
            assertThat(status.path("sink").path("instances").asInt()).isZero();
            assertThat(status.path("durable").path("rowsInMysql").isNull()).isTrue();
            assertThat(status.path("unreachable").toString()).contains("127.0.0.1:9");
            assertThat(status.path("unreachable").toString()).doesNotContain(producerUrl.getAuthority());
            assertThat(status.path("guards")).hasSize(3);
        });
    }

    private static Map<TopicPartition, Long> adClicksEnd() {
        return TopicReader.endOffsets(kafka(), Topics.AD_CLICKS, IsolationLevel.READ_UNCOMMITTED);
    }

    private static KafkaConnection kafka() {
        return PipelineInfrastructure.shared().kafkaAdminConnection();
    }

    private static String randomHex(int digits) {
        StringBuilder hex = new StringBuilder();
        while (hex.length() < digits) {
            hex.append(Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE));
        }
        return hex.substring(0, digits);
    }
}
