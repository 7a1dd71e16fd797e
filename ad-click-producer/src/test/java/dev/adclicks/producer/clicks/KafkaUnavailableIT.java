package dev.adclicks.producer.clicks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No broker at all (nothing listens on port 1): every click must end in a prompt 503 ProblemDetail
 * that tells the client to retry with the same clickId, instead of a request thread hanging in
 * {@code send()} for the producer's default 60 s {@code max.block.ms}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.bootstrap-servers=127.0.0.1:1",
        "spring.kafka.admin.auto-create=false",
        "clicks.ack-timeout=4s",
        "clicks.producer.max-block=500ms",
        "clicks.producer.delivery-timeout=1500ms",
        "clicks.producer.request-timeout=1s"})
class KafkaUnavailableIT {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(4);

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meterRegistry;

    private ClickApi api;

    @BeforeEach
    void connect() {
        api = new ClickApi(port);
    }

    @Test
    void clickNotAcknowledgedIsA503ProblemWithTheClickIdToRetry() {
        UUID clickId = UUID.randomUUID();
        double failedBefore = failedClicks("kafka-timeout");
        long start = System.nanoTime();

        ClickApi.Response response = api.post("/api/clicks", """
                {"clickId": "%s", "adId": "ad-1", "campaignId": "c", "userId": "u", "occurredAt": "yyyy-mm-ddT10:00:00Z"}
                """.formatted(clickId));

        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        assertThat(response.status()).as(response.body()).isEqualTo(503);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.retryAfter()).isEqualTo("1");
        JsonNode problem = response.json();
        assertThat(problem.get("status").asInt()).isEqualTo(503);
        assertThat(problem.get("detail").asString()).contains(clickId.toString(), "retry with the same clickId");
        assertThat(problem.get("clickId").asString()).isEqualTo(clickId.toString());
        assertThat(problem.get("reason").asString()).isEqualTo("kafka-timeout");
        assertThat(elapsed).isLessThan(ACK_TIMEOUT);
        assertThat(failedClicks("kafka-timeout")).isEqualTo(failedBefore + 1);
    }

    @Test
    void batchNotAcknowledgedIsA503ListingTheFailedClickIdsWithoutWaitingMaxBlockForEachClick() {
        List<UUID> clickIds = new ArrayList<>();
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 20; i++) {
            UUID clickId = UUID.randomUUID();
            clickIds.add(clickId);
            batch.append(i == 0 ? "" : ",").append("""
                    {"clickId": "%s", "adId": "ad-%d", "campaignId": "c", "userId": "u", "occurredAt": "yyyy-mm-ddT10:00:00Z"}
                    """.formatted(clickId, i));
        }
        batch.append("]");
        long start = System.nanoTime();

        ClickApi.Response response = api.post("/api/clicks/batch", batch.toString());

        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        assertThat(response.status()).as(response.body()).isEqualTo(503);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("accepted").values()).isEmpty();
        assertThat(problem.get("failedClickIds").values()).extracting(id -> UUID.fromString(id.asString()))
                .containsExactlyElementsOf(clickIds);
        assertThat(problem.get("failuresByReason").get("kafka-timeout").asInt()).isEqualTo(1);
        assertThat(problem.get("failuresByReason").get("not-sent").asInt()).isEqualTo(19);
        // 20 clicks x 500 ms max.block would be 10 s: after the first click finds Kafka unreachable
        // the rest are not sent
        assertThat(elapsed).isLessThan(ACK_TIMEOUT);
    }

    private double failedClicks(String reason) {
        return meterRegistry.get("clicks.failed").tag("reason", reason).counter().count();
    }
}
