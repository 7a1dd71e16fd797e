package dev.adclicks.relay.comparison;

import static dev.adclicks.relay.RelayTestSupport.INFRA;
import static dev.adclicks.relay.RelayTestSupport.click;
import static dev.adclicks.relay.RelayTestSupport.committedOffsets;
import static dev.adclicks.relay.RelayTestSupport.endOffsets;
import static dev.adclicks.relay.RelayTestSupport.events;
import static dev.adclicks.relay.RelayTestSupport.send;
import static dev.adclicks.relay.RelayTestSupport.eventTraceparents;
import static dev.adclicks.relay.RelayTestSupport.sendTraced;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;

import dev.adclicks.delivery.DeliverySemantics;
import dev.adclicks.infra.RealServers;
import dev.adclicks.model.AdClick;
import dev.adclicks.model.AdEvent;
import dev.adclicks.model.PipelineJson;
import dev.adclicks.model.Topics;
import dev.adclicks.relay.transaction.TransactionalRelay;

/**
 * Comparison mode {@code at-least-once} (for the fault lab): {@link NonTransactionalRelay} sends,
 * flushes, then commits the offsets. Clicks flow; and the failure that
 * {@code TransactionalRelayIT.aFailureBeforeCommitAbortsOutputsAndOffsetsTogether} shows being
 * absorbed by the transaction here writes the batch twice.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "relay.instance-id=at-least-once-it", "relay.group-id=" + AtLeastOnceComparisonIT.GROUP,
        "relay.retry-initial-interval=50ms", "relay.retry-max-interval=200ms" })
@ActiveProfiles("at-least-once")
@Import({ RealServers.class, FailNextBatchFault.class })
@DirtiesContext
class AtLeastOnceComparisonIT {

    static final String GROUP = "at-least-once-it";

    @Autowired
    private ApplicationContext context;

    @Autowired
    private NonTransactionalRelay relay;

    @Autowired
    private FailNextBatchFault fault;

    @Test
    void theNonTransactionalRelayRunsWithAPlainProducerThatRetriesWithoutIdempotence() {
        assertThat(context.getBeansOfType(TransactionalRelay.class)).isEmpty();
        assertThat(relay.semantics()).isEqualTo(DeliverySemantics.AT_LEAST_ONCE);
        assertThat(relay.isRunning()).isTrue();

        ProducerConfig effective = new ProducerConfig(relay.producerConfig());
        assertThat(effective.getString(ProducerConfig.TRANSACTIONAL_ID_CONFIG)).isNull();
        assertThat(effective.getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isFalse();
        assertThat(effective.getString(ProducerConfig.ACKS_CONFIG)).isEqualTo("1");
        assertThat(effective.getInt(ProducerConfig.RETRIES_CONFIG)).isEqualTo(Integer.MAX_VALUE);
        assertThat(effective.getInt(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION)).isEqualTo(5);
        assertThat(relay.health().getStatus()).isEqualTo(Status.UP);
        assertThat(relay.health().getDetails()).containsEntry("deliverySemantics", "AT_LEAST_ONCE")
                .containsEntry("transactional", false).containsEntry("acks", "1");
    }

    @Test
    void clicksStillFlowAndTheOffsetsAreCommittedAfterTheSends() {
        String adId = "ad-" + UUID.randomUUID();
        List<AdClick> clicks = IntStream.range(0, 10).mapToObj(i -> click(adId)).toList();

        send(clicks);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(events(IsolationLevel.READ_COMMITTED, adId))
                .extracting(AdEvent::clickId)
                .containsExactlyInAnyOrderElementsOf(clicks.stream().map(AdClick::clickId).toList()));
        await().atMost(Duration.ofSeconds(30)).until(() -> committedOffsets(GROUP).equals(endOffsets()));
    }

    @Test
    void theEventCarriesTheClicksTraceContextAsInExactlyOnceMode() {
        String adId = "ad-" + UUID.randomUUID();
        sendTraced(adId, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        // the same step per record as the transactional relay (RelayStep): only the producer and the commit differ
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(eventTraceparents(adId)).singleElement()
                .asString().contains("0af7651916cd43dd8448eb211c80319c"));
    }

    @Test
    void aFailureAfterTheSendsAndBeforeTheOffsetCommitWritesTheWholeBatchTwice() {
        String adId = "ad-" + UUID.randomUUID();
        List<AdClick> clicks = IntStream.range(0, 5).mapToObj(i -> click(adId)).toList();
        await().atMost(Duration.ofSeconds(60)).until(() -> committedOffsets(GROUP).equals(endOffsets()));
        int firedBefore = fault.fired.get();
        fault.arm();

        sendAsOneBatch(clicks);

        // the relay sent and flushed the batch, then failed before commitSync; it rewinds and sends it again
        await().atMost(Duration.ofSeconds(30)).until(() -> fault.fired.get() == firedBefore + 1);
        assertThat(fault.recordsSentWhenFired).isEqualTo(clicks.size());
        await().atMost(Duration.ofSeconds(30)).until(() -> committedOffsets(GROUP).equals(endOffsets()));

        // no transaction hid the first attempt: a read_committed reader sees every event twice
        List<AdEvent> events = events(IsolationLevel.READ_COMMITTED, adId);
        Map<UUID, Long> copiesPerClick = events.stream()
                .collect(Collectors.groupingBy(AdEvent::clickId, Collectors.counting()));
        assertThat(events).hasSize(2 * clicks.size());
        assertThat(copiesPerClick).containsOnlyKeys(clicks.stream().map(AdClick::clickId).toList());
        assertThat(copiesPerClick.values()).containsOnly(2L);
    }

    /** One producer, lingering, one flush: the clicks land as one record batch and are polled together. */
    static void sendAsOneBatch(List<AdClick> clicks) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(INFRA.kafkaAdminConnection().clientProperties(Map.of(
                ProducerConfig.LINGER_MS_CONFIG, 100)),
                new StringSerializer(), new ByteArraySerializer())) {
            for (AdClick click : clicks) {
                producer.send(new ProducerRecord<>(Topics.AD_CLICKS, click.adId(), PipelineJson.write(click)));
            }
            producer.flush();
        }
    }
}
