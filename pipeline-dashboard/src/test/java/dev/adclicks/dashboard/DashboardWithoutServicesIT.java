package dev.adclicks.dashboard;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import dev.adclicks.infra.RealServers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard with the real broker but none of the services answering (each URL is a loopback
 * address where nobody listens): the page still reports what Kafka knows and names every service
 * it cannot reach, and the demo button answers 503 without pretending a click was sent.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dashboard.producer.url=http://127.0.0.3:9", "dashboard.producer.management-url=http://127.0.0.3:9",
        "dashboard.relay.management-url=http://127.0.0.1:9", "dashboard.sink.url=http://127.0.0.2:9",
        "dashboard.sink.management-url=http://127.0.0.2:9", "dashboard.timeout=1s" })
@Import(RealServers.class)
class DashboardWithoutServicesIT {

    @LocalServerPort
    int port;

    DashboardApi api;

    @BeforeEach
    void connect() {
        api = new DashboardApi(port);
    }

    @Test
    void theStatusNamesEveryServiceThatDoesNotAnswerAndStillReportsWhatKafkaKnows() {
        // as the page polls it: the first Kafka admin calls of a fresh broker may take longer than
        // dashboard.timeout, and the numbers are then unknown (null) for one refresh
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            DashboardApi.Response response = api.get("/api/pipeline");

            assertThat(response.status()).isEqualTo(200);
            JsonNode status = response.json();
            assertThat(status.path("unreachable").toString()).contains("127.0.0.3:9", "127.0.0.1:9", "127.0.0.2:9");
            assertThat(status.path("producer").path("instances").asInt()).isZero();
            assertThat(status.path("relay").path("instances").asInt()).isZero();
            assertThat(status.path("sink").path("instances").asInt()).isZero();
            assertThat(status.path("durable").path("rowsInMysql").isNull()).isTrue();
            // from the broker itself, which answers
            assertThat(status.path("durable").path("adClicksRecords").isNumber()).isTrue();
            assertThat(status.path("lag").path("relay").isNumber()).isTrue();
        });
    }

    @Test
    void theDemoAnswers503WhenTheProducerDoesNotAnswer() {
        DashboardApi.Response response = api.post("/api/demo/clicks", "{\"count\": 10, \"resendPercent\": 50}");

        assertThat(response.status()).as(response.body()).isEqualTo(503);
        JsonNode result = response.json();
        assertThat(result.path("requested").asInt()).isEqualTo(10);
        assertThat(result.path("accepted").asInt()).isZero();
        assertThat(result.path("failed").asInt()).isEqualTo(10);
        assertThat(result.path("resent").asInt()).isZero();
    }
}
