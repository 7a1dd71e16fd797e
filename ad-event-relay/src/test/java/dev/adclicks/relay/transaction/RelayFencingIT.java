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
 * Producers with the relay's transactional.id (what a second copy of the same instance does, each
 * time it starts a session) fence the relay. Fenced once, it starts a new session and carries on
 * (a transaction the coordinator aborted after its timeout looks the same, and is not counted:
 * RelayTimedOutTransactionIT); fenced again within relay.fenced-again-within (5 minutes), it stops
 * for good instead of fencing its twin back for ever, and commits nothing more.
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
    void aRelayFencedTwiceStopsForGoodAndCommitsNothingMore() {
        await().atMost(Duration.ofSeconds(60)).until(() -> committedOffsets("fencing-it").equals(endOffsets()));
        assertThat(relay.health().getStatus()).isEqualTo(Status.UP);

        // fenced once: a new session, whose initTransactions() fences the twin back; the click is relayed
        String firstAd = "ad-" + UUID.randomUUID();
        fenceTheRelay();
        send(List.of(click(firstAd)));
        await().atMost(Duration.ofSeconds(60)).until(() -> events(IsolationLevel.READ_COMMITTED, firstAd).size() == 1);
        assertThat(relay.health().getStatus()).as("fenced once: carries on").isEqualTo(Status.UP);
        await().atMost(Duration.ofSeconds(60)).until(() -> committedOffsets("fencing-it").equals(endOffsets()));
        Map<TopicPartition, Long> committedBefore = committedOffsets("fencing-it");

        // fenced again within relay.fenced-again-within (5 minutes): a live twin; the relay stops for good
        String secondAd = "ad-" + UUID.randomUUID();
        fenceTheRelay();
        send(List.of(click(secondAd)));
        await().atMost(Duration.ofSeconds(60)).until(() -> relay.health().getStatus().equals(Status.DOWN));
        assertThat(relay.health().getDetails().get("error").toString()).containsAnyOf("Fenced", "Epoch", "InvalidTxnState");
        assertThat(relay.isRunning()).isFalse();
        assertThat(events(IsolationLevel.READ_COMMITTED, secondAd)).isEmpty();
        assertThat(committedOffsets("fencing-it")).isEqualTo(committedBefore);
    }

    /** A producer with the relay's transactional.id registers it: the relay's epoch is outdated. */
    private void fenceTheRelay() {
        try (KafkaProducer<String, String> twin = new KafkaProducer<>(INFRA.kafkaAdminConnection().clientProperties(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, properties.transactionalId())),
                new StringSerializer(), new StringSerializer())) {
            twin.initTransactions();
        }
    }
}
