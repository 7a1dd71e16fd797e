package dev.adclicks.sink.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.adclicks.infra.PipelineInfrastructure;
import dev.adclicks.model.AdEvent;
import dev.adclicks.model.PipelineJson;
import dev.adclicks.model.Topics;
import dev.adclicks.sink.SinkIntegrationTest;

/**
 * The relay writes ad-events in transactions; a transaction it aborts (and then retries) must not
 * reach the database, or the retry's clickIds would be duplicates of rows that should not exist.
 */
class ReadCommittedIT extends SinkIntegrationTest {

    @Test
    void eventsOfAnAbortedTransactionAreNeverStored() {
        String adId = uniqueAdId();
        AdEvent aborted = event(adId, "2026-11-04T10:00:00Z", 1_000);
        AdEvent committed = event(adId, "2026-11-04T10:00:01Z", 1);

        Map<String, Object> config = PipelineInfrastructure.shared().kafkaAdminConnection().clientProperties(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "read-committed-it-" + UUID.randomUUID()));
        try (KafkaProducer<String, byte[]> relay =
                new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            relay.initTransactions();
            relay.beginTransaction();
            relay.send(new ProducerRecord<>(Topics.AD_EVENTS, adId, PipelineJson.write(aborted)));
            relay.flush(); // in the log, before the abort marker
            relay.abortTransaction();
            relay.beginTransaction();
            relay.send(new ProducerRecord<>(Topics.AD_EVENTS, adId, PipelineJson.write(committed)));
            relay.commitTransaction();
        }

        // same key, same partition: once the later, committed event is stored, the aborted one
        // has been passed over
        await().atMost(PATIENCE).until(() -> clickEvents.findByClickIdIn(List.of(committed.clickId())).size() == 1);
        assertThat(clickEvents.findByAdId(adId)).hasSize(1);
        assertThat(dailyStats.findByIdAdIdOrderByIdDay(adId)).singleElement()
                .satisfies(stats -> assertThat(stats.getSpendMicros()).isEqualTo(1));
    }
}
