package dev.adclicks.dashboard;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.springframework.stereotype.Component;

/**
 * Progress read from the broker itself, so it survives restarts of every service: how many records
 * a topic holds, and how far a consumer group's committed offsets are behind the end of its input.
 */
@Component
class KafkaProgress {

    private final Admin admin;
    private final long timeoutMillis;

    KafkaProgress(Admin dashboardAdmin, DashboardProperties properties) {
        this.admin = dashboardAdmin;
        this.timeoutMillis = properties.timeout().toMillis();
    }

    /**
     * The end of a topic: the sum over its partitions of the last stable offset. For a topic written
     * in transactions that counts the commit/abort markers and aborted records too, so it is an upper
     * bound of what read_committed readers get; for {@code ad-clicks} (no transactions) it is the
     * number of records.
     */
    long endOffset(String topic) throws ExecutionException, InterruptedException, TimeoutException {
        return ends(topic).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Records of {@code topic} that {@code group} has not committed yet (0 before the topic exists). */
    long lag(String group, String topic) throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, Long> ends = ends(topic);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(timeoutMillis, TimeUnit.MILLISECONDS);
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            OffsetAndMetadata offset = committed.get(end.getKey());
            lag += Math.max(0, end.getValue() - (offset == null ? 0 : offset.offset()));
        }
        return lag;
    }

    private Map<TopicPartition, Long> ends(String topic) throws ExecutionException, InterruptedException,
            TimeoutException {
        Map<String, TopicDescription> topics;
        try {
            topics = admin.describeTopics(List.of(topic)).allTopicNames().get(timeoutMillis, TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                return Map.of();
            }
            throw e;
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        topics.get(topic).partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .get(timeoutMillis, TimeUnit.MILLISECONDS)
                .forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }
}
