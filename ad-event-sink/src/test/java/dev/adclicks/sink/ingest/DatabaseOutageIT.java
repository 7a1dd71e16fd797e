package dev.adclicks.sink.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.adclicks.infra.PipelineInfrastructure;
import dev.adclicks.model.AdEvent;
import dev.adclicks.model.Topics;
import dev.adclicks.sink.SinkIntegrationTest;
import dev.adclicks.sink.store.AdDailyStats;

/**
 * The database goes away for real (server stopped, same port and data kept). The sink must not
 * commit offsets past events it could not store, must stay in its group while retrying, and must
 * store every event exactly once when the database is back.
 */
class DatabaseOutageIT extends SinkIntegrationTest {

    @Autowired
    private MeterRegistry meters;

    @Test
    void whileTheDatabaseIsDownNothingIsCommittedAndAfterwardsEverythingIsStoredOnce() throws Exception {
        PipelineInfrastructure servers = PipelineInfrastructure.shared();
        String adId = uniqueAdId();
        List<AdEvent> events = IntStream.range(0, 5)
                .mapToObj(i -> event(adId, "2026-11-04T10:00:0" + i + "Z", 100 + i))
                .toList();
        double failedAttemptsBefore = failedBatchAttempts();

        List<RecordMetadata> sent;
        servers.stopDatabase();
        try {
            sent = send(events);
            TopicPartition partition = new TopicPartition(Topics.AD_EVENTS, sent.get(0).partition());
            long firstOffset = sent.get(0).offset();

            // the sink is failing, attempt after attempt...
            await().atMost(PATIENCE).until(() -> failedBatchAttempts() >= failedAttemptsBefore + 3);
            // ...without committing past the events it could not store...
            assertThat(committedOffset(partition)).isLessThanOrEqualTo(firstOffset);
            // ...and without leaving the group (it keeps polling, paused, between attempts)
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP);
            assertThat(group.members())
                    .anySatisfy(member -> assertThat(member.assignment().topicPartitions()).contains(partition));
        }
        finally {
            servers.startDatabase();
        }

        // the pool reconnects with its own back-off: until then, reading fails like the sink did
        await().atMost(PATIENCE).ignoreExceptionsMatching(SinkIntegrationTest::databaseUnavailable)
                .until(() -> clickEvents.findByAdId(adId).size() == events.size());
        assertThat(clickEvents.findByClickIdIn(clickIds(events))).hasSize(events.size());
        assertThat(dailyStats.findByIdAdIdOrderByIdDay(adId)).singleElement()
                .extracting(AdDailyStats::getClicks, AdDailyStats::getSpendMicros)
                .containsExactly(5L, 510L);
        TopicPartition partition = new TopicPartition(Topics.AD_EVENTS, sent.get(0).partition());
        long afterLast = sent.get(sent.size() - 1).offset() + 1;
        await().atMost(PATIENCE).until(() -> committedOffset(partition) == afterLast);
        assertThat(endOffset(partition)).isEqualTo(afterLast);
    }

    private double failedBatchAttempts() {
        return meters.get("sink.batches.failed-attempts").counter().count();
    }
}
