package dev.adclicks.relay.transaction;

import static dev.adclicks.relay.transaction.RelayTestSupport.INFRA;
import static dev.adclicks.relay.transaction.RelayTestSupport.click;
import static dev.adclicks.relay.transaction.RelayTestSupport.events;
import static dev.adclicks.relay.transaction.RelayTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.adclicks.model.AdClick;
import dev.adclicks.model.Topics;
import dev.adclicks.relay.AdEventRelayApplication;

/**
 * A relay that crashed with a transaction open leaves every partition it wrote blocked for
 * read_committed readers (the last stable offset cannot pass an open transaction) until the
 * broker times the transaction out. Restarted with the SAME transactional.id, the new instance's
 * {@code initTransactions()} aborts it at once. This test fails if the transactional.id is not
 * stable across restarts: the events would stay invisible for the whole transaction timeout.
 */
class RelayRestartIT {

    private static final Duration CRASHED_TRANSACTION_TIMEOUT = Duration.ofSeconds(90);

    @Test
    void aRestartedRelayReleasesTheTransactionItsCrashedIncarnationLeftOpen() {
        String instanceId = "restart-it-" + UUID.randomUUID().toString().substring(0, 8);
        String transactionalId = new RelayProperties(instanceId, "restart-it", Duration.ofMillis(200), 500,
                Duration.ofSeconds(15), Duration.ofMillis(100), Duration.ofSeconds(1), 3).transactionalId();

        RelayTestSupport.createTopics();
        // The crashed incarnation: a transaction on every partition of ad-events, never finished.
        try (KafkaProducer<String, String> crashed = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, INFRA.kafkaBootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) CRASHED_TRANSACTION_TIMEOUT.toMillis()),
                new StringSerializer(), new StringSerializer())) {
            crashed.initTransactions();
            crashed.beginTransaction();
            for (int partition = 0; partition < 3; partition++) {
                crashed.send(new ProducerRecord<>(Topics.AD_EVENTS, partition, "crashed", "never committed"));
            }
            crashed.flush();

            try (ConfigurableApplicationContext restarted = new SpringApplicationBuilder(AdEventRelayApplication.class)
                    .web(WebApplicationType.NONE)
                    .run("--spring.kafka.bootstrap-servers=" + INFRA.kafkaBootstrapServers(),
                            "--relay.instance-id=" + instanceId, "--relay.group-id=restart-it")) {
                AdClick click = click("ad-" + UUID.randomUUID());
                send(List.of(click));

                // Well before the crashed transaction would time out, the event is readable.
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                        events(IsolationLevel.READ_COMMITTED, click.adId())).extracting(e -> e.clickId())
                        .containsExactly(click.clickId()));
            }
        }
    }
}
