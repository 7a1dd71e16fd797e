package dev.adclicks.infra;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a whole topic as it is now, the way a verifier needs it: every partition from the
 * beginning to its end offset, with a chosen isolation level. With {@code read_committed} the
 * end is the last stable offset, so records of open or aborted transactions never show.
 */
public final class TopicReader {

    private TopicReader() {
    }

    public static List<ConsumerRecord<String, byte[]>> readAll(KafkaConnection kafka, String topic,
            IsolationLevel isolation) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.clientProperties(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "topic-reader-" + UUID.randomUUID(),
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000)),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("Could not read " + topic + " to its end " + end);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            records.removeIf(r -> r.offset() >= end.get(new TopicPartition(r.topic(), r.partition())));
            return records;
        }
    }

    /** The end offset of every partition of {@code topic} (for read_committed: the last stable offset). */
    public static Map<TopicPartition, Long> endOffsets(KafkaConnection kafka, String topic, IsolationLevel isolation) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.clientProperties(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString())),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            return consumer.endOffsets(partitions);
        }
    }

    /** The committed offsets of {@code groupId} on {@code topic}; a partition never committed maps to 0. */
    public static Map<TopicPartition, Long> committedOffsets(KafkaConnection kafka, String groupId, String topic) {
        Map<TopicPartition, Long> result = new java.util.TreeMap<>(
                java.util.Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        endOffsets(kafka, topic, IsolationLevel.READ_UNCOMMITTED).keySet()
                .forEach(partition -> result.put(partition, 0L));
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            ListConsumerGroupOffsetsResult offsets = admin.listConsumerGroupOffsets(groupId);
            for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : offsets.partitionsToOffsetAndMetadata().get()
                    .entrySet()) {
                if (entry.getKey().topic().equals(topic) && entry.getValue() != null) {
                    result.put(entry.getKey(), entry.getValue().offset());
                }
            }
            return result;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        catch (ExecutionException e) {
            throw new IllegalStateException("Cannot read the offsets of group " + groupId, e.getCause());
        }
    }

    /**
     * Whether {@code groupId} has committed past every record of {@code topic} that a
     * read_committed reader sees. (Not "committed == end offset": in a transactional topic the
     * last offset of a partition is often a commit marker: a consumer that commits "last record + 1"
     * stops short of it, one that commits its position (the sink, with fixTxOffsets) goes past it.)
     */
    public static boolean consumedToTheEnd(KafkaConnection kafka, String groupId, String topic) {
        Map<TopicPartition, Long> committed = committedOffsets(kafka, groupId, topic);
        Map<TopicPartition, Long> needed = new java.util.HashMap<>();
        committed.keySet().forEach(partition -> needed.put(partition, 0L));
        for (ConsumerRecord<String, byte[]> record : readAll(kafka, topic, IsolationLevel.READ_COMMITTED)) {
            needed.merge(new TopicPartition(record.topic(), record.partition()), record.offset() + 1, Math::max);
        }
        return needed.entrySet().stream()
                .allMatch(entry -> committed.getOrDefault(entry.getKey(), 0L) >= entry.getValue());
    }
}
