package dev.adclicks.relay.comparison;

import static dev.adclicks.relay.RelayTestSupport.click;
import static dev.adclicks.relay.RelayTestSupport.committedOffsets;
import static dev.adclicks.relay.RelayTestSupport.endOffsets;
import static dev.adclicks.relay.RelayTestSupport.events;
import static dev.adclicks.relay.RelayTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
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
import dev.adclicks.relay.transaction.TransactionalRelay;

/**
 * Comparison mode {@code at-most-once} (for the fault lab): {@link NonTransactionalRelay} commits
 * the offsets first, then sends with {@code acks=0}, and never retries. Clicks flow; a failure
 * after the commit is not retried (so it doubles nothing: compare {@link AtLeastOnceComparisonIT}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "relay.instance-id=at-most-once-it", "relay.group-id=" + AtMostOnceComparisonIT.GROUP,
        "relay.retry-initial-interval=50ms", "relay.retry-max-interval=200ms" })
@ActiveProfiles("at-most-once")
@Import({ RealServers.class, FailNextBatchFault.class })
@DirtiesContext
class AtMostOnceComparisonIT {

    static final String GROUP = "at-most-once-it";

    @Autowired
    private ApplicationContext context;

    @Autowired
    private NonTransactionalRelay relay;

    @Autowired
    private FailNextBatchFault fault;

    @Test
    void theNonTransactionalRelayRunsWithAProducerThatNeitherWaitsNorRetries() {
        assertThat(context.getBeansOfType(TransactionalRelay.class)).isEmpty();
        assertThat(relay.semantics()).isEqualTo(DeliverySemantics.AT_MOST_ONCE);
        assertThat(relay.isRunning()).isTrue();

        ProducerConfig effective = new ProducerConfig(relay.producerConfig());
        assertThat(effective.getString(ProducerConfig.TRANSACTIONAL_ID_CONFIG)).isNull();
        assertThat(effective.getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isFalse();
        assertThat(effective.getString(ProducerConfig.ACKS_CONFIG)).isEqualTo("0");
        assertThat(effective.getInt(ProducerConfig.RETRIES_CONFIG)).isZero();
        assertThat(relay.health().getStatus()).isEqualTo(Status.UP);
        assertThat(relay.health().getDetails()).containsEntry("deliverySemantics", "AT_MOST_ONCE")
                .containsEntry("acks", "0");
    }

    @Test
    void clicksStillFlowAndTheOffsetsAreCommitted() {
        String adId = "ad-" + UUID.randomUUID();
        List<AdClick> clicks = IntStream.range(0, 10).mapToObj(i -> click(adId)).toList();

        send(clicks);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(events(IsolationLevel.READ_COMMITTED, adId))
                .extracting(AdEvent::clickId)
                .containsExactlyInAnyOrderElementsOf(clicks.stream().map(AdClick::clickId).toList()));
        await().atMost(Duration.ofSeconds(30)).until(() -> committedOffsets(GROUP).equals(endOffsets()));
    }

    @Test
    void aFailedBatchIsNotRetriedBecauseItsOffsetsWereCommittedFirst() {
        String adId = "ad-" + UUID.randomUUID();
        List<AdClick> clicks = IntStream.range(0, 5).mapToObj(i -> click(adId)).toList();
        await().atMost(Duration.ofSeconds(60)).until(() -> committedOffsets(GROUP).equals(endOffsets()));
        int firedBefore = fault.fired.get();
        fault.arm();

        AtLeastOnceComparisonIT.sendAsOneBatch(clicks);

        await().atMost(Duration.ofSeconds(30)).until(() -> fault.fired.get() == firedBefore + 1);
        assertThat(fault.recordsSentWhenFired).isEqualTo(clicks.size());
        // the offsets were committed before the sends: the failure moved nothing back
        await().atMost(Duration.ofSeconds(30)).until(() -> committedOffsets(GROUP).equals(endOffsets()));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(events(IsolationLevel.READ_COMMITTED, adId))
                .extracting(AdEvent::clickId)
                .containsExactlyInAnyOrderElementsOf(clicks.stream().map(AdClick::clickId).toList()));
    }
}
