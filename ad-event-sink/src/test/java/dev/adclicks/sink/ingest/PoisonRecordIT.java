package dev.adclicks.sink.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import dev.adclicks.infra.PipelineInfrastructure;
import dev.adclicks.model.AdEvent;
import dev.adclicks.model.DeadLetterHeaders;
import dev.adclicks.model.PipelineJson;
import dev.adclicks.model.Topics;
import dev.adclicks.sink.SinkIntegrationTest;

/** An unreadable record is parked in the DLT and does not stall its partition. */
class PoisonRecordIT extends SinkIntegrationTest {

    @Test
    void aPoisonRecordGoesToTheDltWithItsOriginAndTheEventsAfterItAreStored() throws Exception {
        String adId = uniqueAdId();
        byte[] poison = ("{\"clickId\": \"not-a-uuid\", \"marker\": \"" + UUID.randomUUID() + "\"")
                .getBytes(StandardCharsets.UTF_8);
        AdEvent before = event(adId, "2026-11-04T10:00:00Z", 10);
        AdEvent after1 = event(adId, "2026-11-04T10:00:01Z", 20);
        AdEvent after2 = event(adId, "2026-11-04T10:00:02Z", 30);
        long deadLetteredBefore = metrics.deadLetteredCount();

        // one key: one partition, in this order
        List<RecordMetadata> sent = sendRaw(List.of(
                new ProducerRecord<>(Topics.AD_EVENTS, adId, PipelineJson.write(before)),
                new ProducerRecord<>(Topics.AD_EVENTS, adId, poison),
                new ProducerRecord<>(Topics.AD_EVENTS, adId, PipelineJson.write(after1)),
                new ProducerRecord<>(Topics.AD_EVENTS, adId, PipelineJson.write(after2))));
        RecordMetadata poisonSent = sent.get(1);

        await().atMost(PATIENCE).until(() -> clickEvents.findByAdId(adId).size() == 3);
        assertThat(dailyStats.findByIdAdIdOrderByIdDay(adId)).singleElement()
                .satisfies(stats -> assertThat(stats.getClicks()).isEqualTo(3));
        assertThat(metrics.deadLetteredCount()).isEqualTo(deadLetteredBefore + 1);

        ConsumerRecord<String, byte[]> deadLetter = findInDeadLetterTopic(poison);
        assertThat(deadLetter.key()).isEqualTo(adId);
        assertThat(text(deadLetter, DeadLetterHeaders.ORIGINAL_TOPIC)).isEqualTo(Topics.AD_EVENTS);
        assertThat(ByteBuffer.wrap(header(deadLetter, DeadLetterHeaders.ORIGINAL_PARTITION)).getInt())
                .isEqualTo(poisonSent.partition());
        assertThat(ByteBuffer.wrap(header(deadLetter, DeadLetterHeaders.ORIGINAL_OFFSET)).getLong())
                .isEqualTo(poisonSent.offset());
        assertThat(text(deadLetter, DeadLetterHeaders.EXCEPTION_FQCN)).startsWith("tools.jackson.");
        assertThat(text(deadLetter, DeadLetterHeaders.EXCEPTION_MESSAGE)).isNotBlank();

        // the partition moved on: the committed offset passes the poison record and the events after it
        TopicPartition partition = new TopicPartition(Topics.AD_EVENTS, poisonSent.partition());
        await().atMost(PATIENCE).until(() -> committedOffset(partition) >= sent.get(3).offset() + 1);
    }

    private static ConsumerRecord<String, byte[]> findInDeadLetterTopic(byte[] value) {
        Map<String, Object> config = PipelineInfrastructure.shared().kafkaAdminConnection().clientProperties(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.AD_EVENTS_DLT).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
            await().atMost(PATIENCE).pollInSameThread().until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (Arrays.equals(record.value(), value)) {
                        found.add(record);
                    }
                });
                return !found.isEmpty();
            });
            return found.get(0);
        }
    }

    private static byte[] header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header %s", name).isNotNull();
        return header.value();
    }

    private static String text(ConsumerRecord<?, ?> record, String name) {
        return new String(header(record, name), StandardCharsets.UTF_8);
    }
}
