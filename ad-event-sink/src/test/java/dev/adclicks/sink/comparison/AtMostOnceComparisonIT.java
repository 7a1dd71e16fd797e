package dev.adclicks.sink.comparison;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.CommonLoggingErrorHandler;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;

import dev.adclicks.infra.PipelineInfrastructure;
import dev.adclicks.model.AdEvent;
import dev.adclicks.delivery.DeliverySemantics;
import dev.adclicks.model.Topics;
import dev.adclicks.sink.SinkIntegrationTest;
import dev.adclicks.sink.ingest.AdEventBatchListener;
import dev.adclicks.sink.store.AdDailyStats;
import dev.adclicks.sink.store.EventWriter;
import dev.adclicks.sink.store.InsertIfAbsentEventWriter;

/**
 * Comparison mode {@code at-most-once} (for the fault lab): {@link CommitFirstBatchListener}
 * commits a batch's offsets before its DB write and never retries the write. Events flow; and the
 * outage that {@code DatabaseOutageIT} shows being ridden out loses the batch here.
 */
@ActiveProfiles("at-most-once")
@DirtiesContext
class AtMostOnceComparisonIT extends SinkIntegrationTest {

    @Autowired
    private ApplicationContext context;

    @Autowired
    private DeliverySemantics semantics;

    @Autowired
    private EventWriter writer;

    @Autowired
    private KafkaListenerEndpointRegistry listeners;

    @Autowired
    private MeterRegistry meters;

    @Test
    void theCommitFirstListenerAcknowledgesImmediatelyAndRetriesNothing() {
        assertThat(semantics).isEqualTo(DeliverySemantics.AT_MOST_ONCE);
        assertThat(context.getBeansOfType(CommitFirstBatchListener.class)).hasSize(1);
        assertThat(context.getBeansOfType(AdEventBatchListener.class)).isEmpty();
        // rows and aggregates as in exactly-once: this mode loses, it does not double
        assertThat(writer).isInstanceOf(InsertIfAbsentEventWriter.class);
        MessageListenerContainer container = listeners.getListenerContainer("ad-event-sink");
        assertThat(container.getContainerProperties().getAckMode()).isEqualTo(AckMode.MANUAL_IMMEDIATE);
        assertThat(container.getContainerProperties().isSyncCommits()).isTrue();
        assertThat(((AbstractMessageListenerContainer<?, ?>) container).getCommonErrorHandler())
                .isInstanceOf(CommonLoggingErrorHandler.class);
    }

    @Test
    void eventsStillGoThroughAndTheirOffsetsAreCommitted() throws Exception {
        String adId = uniqueAdId();
        List<AdEvent> events = IntStream.range(0, 3).mapToObj(i -> event(adId, "2026-11-04T10:00:0" + i + "Z", 10)).toList();

        List<RecordMetadata> sent = send(events);

        await().atMost(PATIENCE).until(() -> clickEvents.findByAdId(adId).size() == events.size());
        assertThat(dailyStats.findByIdAdIdOrderByIdDay(adId)).singleElement()
                .extracting(AdDailyStats::getClicks, AdDailyStats::getSpendMicros).containsExactly(3L, 30L);
        TopicPartition partition = new TopicPartition(Topics.AD_EVENTS, sent.get(0).partition());
        long afterLast = sent.get(sent.size() - 1).offset() + 1;
        await().atMost(PATIENCE).until(() -> committedOffset(partition) == afterLast);
    }

    @Test
    void aBatchPolledDuringADatabaseOutageIsCommittedAndLost() throws Exception {
        PipelineInfrastructure servers = PipelineInfrastructure.shared();
        String adId = uniqueAdId();
        List<AdEvent> lostEvents = IntStream.range(0, 5)
                .mapToObj(i -> event(adId, "2026-11-04T10:00:0" + i + "Z", 100)).toList();
        double lostBefore = lostCount();

        List<RecordMetadata> sent;
        servers.stopDatabase();
        try {
            sent = send(lostEvents);
            // the write failed and was not retried...
            await().atMost(PATIENCE).until(() -> lostCount() >= lostBefore + lostEvents.size());
            // ...yet the offsets are past the events: Kafka will never deliver them again
            TopicPartition partition = new TopicPartition(Topics.AD_EVENTS, sent.get(0).partition());
            long afterLast = sent.get(sent.size() - 1).offset() + 1;
            await().atMost(PATIENCE).until(() -> committedOffset(partition) == afterLast);
        }
        finally {
            servers.startDatabase();
        }
        // The outage ends when the sink's connection pool, which reconnects with its own back-off, is
        // back: until then a batch's write still fails and, in this mode, is lost like the batch
        // above. This read goes through the same pool.
        await().atMost(PATIENCE).ignoreExceptionsMatching(SinkIntegrationTest::databaseUnavailable)
                .untilAsserted(clickEvents::count);

        // an event after the outage, same adId so same partition, is stored: the partition moved on
        AdEvent afterOutage = event(adId, "2026-11-04T11:00:00Z", 100);
        send(afterOutage);
        await().atMost(PATIENCE).until(() -> clickEvents.findByClickIdIn(List.of(afterOutage.clickId())).size() == 1);
        assertThat(clickEvents.findByAdId(adId)).hasSize(1);
        assertThat(clickEvents.findByClickIdIn(clickIds(lostEvents))).isEmpty();
        assertThat(dailyStats.findByIdAdIdOrderByIdDay(adId)).singleElement()
                .extracting(AdDailyStats::getClicks).isEqualTo(1L);
    }

    private double lostCount() {
        return meters.get("sink.events.lost").counter().count();
    }
}
