package dev.adclicks.relay.transaction;

import static dev.adclicks.relay.RelayTestSupport.INFRA;
import static dev.adclicks.relay.RelayTestSupport.click;
import static dev.adclicks.relay.RelayTestSupport.committedOffsets;
import static dev.adclicks.relay.RelayTestSupport.endOffsets;
import static dev.adclicks.relay.RelayTestSupport.events;
import static dev.adclicks.relay.RelayTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import dev.adclicks.infra.RealServers;
import dev.adclicks.model.AdClick;

/**
 * A second producer with the relay's transactional.id (what a restarted copy of the same
 * instance does) fences the relay: it must stop for good instead of carrying on as a zombie.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "relay.instance-id=fencing-it", "relay.group-id=fencing-it" })
@Import(RealServers.class)
@DirtiesContext
class RelayFencingIT {

    @Autowired
    private TransactionalRelay relay;

    @Autowired
    private RelayProperties properties;

    @Test
    void aFencedRelayStopsAndCommitsNothingMore() {
        await().atMost(Duration.ofSeconds(60)).until(() -> committedOffsets("fencing-it").equals(endOffsets()));
        assertThat(relay.health().getStatus()).isEqualTo(Status.UP);
        Map<TopicPartition, Long> committedBefore = committedOffsets("fencing-it");

        try (KafkaProducer<String, String> successor = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, INFRA.kafkaBootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, properties.transactionalId()),
                new StringSerializer(), new StringSerializer())) {
            successor.initTransactions();

            String adId = "ad-" + UUID.randomUUID();
            AdClick click = click(adId);
            send(List.of(click));

            await().atMost(Duration.ofSeconds(60)).until(() -> relay.health().getStatus().equals(Status.DOWN));
            assertThat(relay.health().getDetails().get("error").toString()).contains("Fenced");
            assertThat(relay.isRunning()).isFalse();
            assertThat(events(IsolationLevel.READ_COMMITTED, adId)).isEmpty();
            assertThat(committedOffsets("fencing-it")).isEqualTo(committedBefore);
        }
    }
}
