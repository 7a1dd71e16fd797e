package dev.adclicks.producer.comparison;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;

import dev.adclicks.infra.PipelineInfrastructure;
import dev.adclicks.producer.clicks.ClickApi;
import dev.adclicks.producer.clicks.RunningProducerService;
import dev.adclicks.infra.TopicReader;
import dev.adclicks.model.AdClick;
import dev.adclicks.delivery.DeliverySemantics;
import dev.adclicks.model.PipelineJson;
import dev.adclicks.model.Topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Comparison mode {@code at-most-once} (for the fault lab): {@code acks=0}, no retries. The 202
 * no longer waits for the broker, so it cannot say where the click is (offset -1); on the happy
 * path the click still arrives.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("at-most-once")
@DirtiesContext
class AtMostOnceComparisonIT extends RunningProducerService {

    @Autowired
    DeliverySemantics semantics;

    @Test
    void theProducerNeitherWaitsForTheBrokerNorRetries() {
        ProducerConfig effective = effectiveConfig();

        assertThat(semantics).isEqualTo(DeliverySemantics.AT_MOST_ONCE);
        assertThat(effective.getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isFalse();
        assertThat(effective.getString(ProducerConfig.ACKS_CONFIG)).isEqualTo("0");
        assertThat(effective.getInt(ProducerConfig.RETRIES_CONFIG)).isZero();
        assertThat(management.get("/actuator/info").json().get("app").get("guarantee").asString())
                .startsWith("COMPARISON MODE at-most-once");
    }

    @Test
    void aClickStillGoesThroughButThe202CannotSayAtWhichOffset() {
        String adId = "ad-" + UUID.randomUUID();
        Instant occurredAt = Instant.parse(ClickApi.YESTERDAY + "T10:15:30.123Z");

        ClickApi.Response response = api.post("/api/clicks", """
                {"adId": "%s", "campaignId": "summer-sale", "userId": "user-1", "occurredAt": "%s"}
                """.formatted(adId, occurredAt));

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        JsonNode body = response.json();
        UUID clickId = UUID.fromString(body.get("clickId").asString());
        // acks=0: the producer never hears from the broker, so it knows no offset
        assertThat(body.get("offset").asLong()).isEqualTo(-1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(clicksOf(adId))
                .containsExactly(new AdClick(clickId, adId, "summer-sale", "user-1", occurredAt)));
    }

    private static List<AdClick> clicksOf(String adId) {
        return TopicReader.readAll(PipelineInfrastructure.shared().kafkaAdminConnection(), Topics.AD_CLICKS,
                        IsolationLevel.READ_UNCOMMITTED).stream()
                .filter(record -> adId.equals(record.key()))
                .map(ConsumerRecord::value)
                .map(value -> PipelineJson.read(value, AdClick.class))
                .toList();
    }
}
