package dev.adclicks.producer.clicks;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.adclicks.infra.KafkaConnection;
import dev.adclicks.model.Topics;

import static org.awaitility.Awaitility.await;

/** Reads {@code ad-clicks} with a plain consumer (assign + seek, no group), the way a test should. */
public final class AdClicksTopic implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;

    public AdClicksTopic(KafkaConnection kafka) {
        consumer = new KafkaConsumer<>(kafka.clientProperties(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** End offset of every partition of ad-clicks. */
    public Map<TopicPartition, Long> endOffsets() {
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.AD_CLICKS, Duration.ofSeconds(10)).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        return consumer.endOffsets(partitions, Duration.ofSeconds(10));
    }

    /** The record at exactly this partition and offset; fails when there is none. */
    public ConsumerRecord<String, byte[]> recordAt(int partition, long offset) {
        TopicPartition topicPartition = new TopicPartition(Topics.AD_CLICKS, partition);
        consumer.assign(List.of(topicPartition));
        consumer.seek(topicPartition, offset);
        AtomicReference<ConsumerRecord<String, byte[]>> found = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.offset() == offset && found.get() == null) {
                    found.set(record);
                }
            }
            return found.get() != null;
        });
        return found.get();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
