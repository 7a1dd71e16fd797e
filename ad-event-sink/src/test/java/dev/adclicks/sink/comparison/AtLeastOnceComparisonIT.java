package dev.adclicks.sink.comparison;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;

import dev.adclicks.model.AdEvent;
import dev.adclicks.delivery.DeliverySemantics;
import dev.adclicks.sink.SinkIntegrationTest;
import dev.adclicks.sink.ingest.AdEventBatchListener;
import dev.adclicks.sink.store.AdDailyStats;
import dev.adclicks.sink.store.EventWriter;

/**
 * Comparison mode {@code at-least-once} (for the fault lab): the usual listener and offset order,
 * with {@link NaiveCountingEventWriter}. The test {@code DuplicateDeliveryIT} shows the guard
 * counting a redelivered event once; here the same redelivery is one row but counted twice.
 */
@ActiveProfiles("at-least-once")
@DirtiesContext
class AtLeastOnceComparisonIT extends SinkIntegrationTest {

    @Autowired
    private ApplicationContext context;

    @Autowired
    private DeliverySemantics semantics;

    @Autowired
    private EventWriter writer;

    @Autowired
    private KafkaListenerEndpointRegistry listeners;

    @Test
    void theUsualListenerCommitsAfterTheDbButTheNaiveWriterStores() {
        assertThat(semantics).isEqualTo(DeliverySemantics.AT_LEAST_ONCE);
        assertThat(writer).isInstanceOf(NaiveCountingEventWriter.class);
        assertThat(context.getBeansOfType(AdEventBatchListener.class)).hasSize(1);
        assertThat(context.getBeansOfType(CommitFirstBatchListener.class)).isEmpty();
        assertThat(listeners.getListenerContainer("ad-event-sink").getContainerProperties().getAckMode())
                .isEqualTo(AckMode.BATCH);
    }

    @Test
    void anEventStillGoesThrough() {
        String adId = uniqueAdId();
        AdEvent event = event(adId, "2026-11-04T10:15:30Z", 700);

        send(event);

        await().atMost(PATIENCE).until(() -> clickEvents.findByClickIdIn(List.of(event.clickId())).size() == 1);
        await().atMost(PATIENCE).until(() -> clicksCounted(adId) == 1);
    }

    @Test
    void theSameEventDeliveredTwiceIsOneRowButCountedTwiceInTheAggregates() {
        String adId = uniqueAdId();
        AdEvent event = event(adId, "2026-11-04T10:15:30.123456Z", 2_500);

        send(event);
        await().atMost(PATIENCE).until(() -> clicksCounted(adId) == 1);

        send(event); // a second, separate delivery, as after a crash between DB commit and offset commit
        await().atMost(PATIENCE).until(() -> clicksCounted(adId) == 2);

        assertThat(clickEvents.findByClickIdIn(List.of(event.clickId()))).hasSize(1);
        assertThat(dailyStats.findByIdAdIdOrderByIdDay(adId)).singleElement()
                .extracting(AdDailyStats::getClicks, AdDailyStats::getSpendMicros)
                .containsExactly(2L, 5_000L);
    }

    private long clicksCounted(String adId) {
        return dailyStats.findByIdAdIdOrderByIdDay(adId).stream().mapToLong(AdDailyStats::getClicks).sum();
    }
}
