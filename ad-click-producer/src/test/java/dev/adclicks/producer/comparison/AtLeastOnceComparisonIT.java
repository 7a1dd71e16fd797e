package dev.adclicks.producer.comparison;

import java.time.Instant;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;

import dev.adclicks.infra.PipelineInfrastructure;
import dev.adclicks.producer.clicks.ClickApi;
import dev.adclicks.producer.clicks.RunningProducerService;
import dev.adclicks.model.AdClick;
import dev.adclicks.delivery.DeliverySemantics;
import dev.adclicks.model.PipelineJson;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Comparison mode {@code at-least-once} (for the fault lab): the same service, with the idempotent
 * producer weakened by {@link WeakerDeliveryForComparison}. Clicks still flow; what changes is what
 * a lost ack does (a resend is appended twice), which the lab shows under faults.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("at-least-once")
@DirtiesContext
class AtLeastOnceComparisonIT extends RunningProducerService {

    @Autowired
    DeliverySemantics semantics;

    @Test
    void theProducerRetriesWithoutIdempotenceAndWaitsForTheLeaderOnly() {
        ProducerConfig effective = effectiveConfig();

        assertThat(semantics).isEqualTo(DeliverySemantics.AT_LEAST_ONCE);
        assertThat(effective.getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isFalse();
        assertThat(effective.getString(ProducerConfig.ACKS_CONFIG)).isEqualTo("1");
        assertThat(effective.getInt(ProducerConfig.RETRIES_CONFIG)).isEqualTo(Integer.MAX_VALUE);
        assertThat(effective.getInt(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION)).isEqualTo(5);
        // the rest of the guard's configuration is kept: retries stay bounded by delivery.timeout.ms
        assertThat(effective.getInt(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG))
                .isEqualTo(clicks.producer().deliveryTimeout().toMillis());
        assertThat(effective.getList(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG))
                .containsExactly(PipelineInfrastructure.shared().kafkaBootstrapServers().split(","));
        assertThat(management.get("/actuator/info").json().get("app").get("guarantee").asString())
                .startsWith("COMPARISON MODE at-least-once");
    }

    @Test
    void aClickStillGoesThroughAndIsAckedAtItsOffset() {
        String adId = "ad-" + UUID.randomUUID();
        Instant occurredAt = Instant.parse(ClickApi.YESTERDAY + "T10:15:30.123Z");

        ClickApi.Response response = api.post("/api/clicks", """
                {"adId": "%s", "campaignId": "summer-sale", "userId": "user-1", "occurredAt": "%s"}
                """.formatted(adId, occurredAt));

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        JsonNode body = response.json();
        UUID clickId = UUID.fromString(body.get("clickId").asString());
        // acks=1: the leader's ack carries the offset
        assertThat(body.get("offset").asLong()).isNotNegative();
        ConsumerRecord<String, byte[]> record = topic.recordAt(body.get("partition").asInt(), body.get("offset").asLong());
        assertThat(PipelineJson.read(record.value(), AdClick.class))
                .isEqualTo(new AdClick(clickId, adId, "summer-sale", "user-1", occurredAt));
    }
}
