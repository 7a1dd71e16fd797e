package dev.adclicks.relay.transaction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The consumer-offset arithmetic every relay loop needs (the transactional relay and the comparison
 * lab's): what to commit, and where to go back to.
 */
public final class ConsumedOffsets {

    private ConsumedOffsets() {
    }

    /** The offsets to commit: for each partition, the one after the last record processed. */
    public static Map<TopicPartition, OffsetAndMetadata> next(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> inPartition = records.records(partition);
            offsets.put(partition, new OffsetAndMetadata(inPartition.get(inPartition.size() - 1).offset() + 1));
        }
        return offsets;
    }

    /**
     * Moves the consumer back to the first record of {@code batch} in each of its partitions: after
     * an aborted transaction, exactly the records whose processing was not committed (one poll is
     * one transaction; every earlier one committed, or the relay would have rewound then).
     *
     * <p>Local, with no broker call. An earlier version asked the group for its committed offsets
     * here ({@link #rewindToCommitted}); on the lab's cluster with two of three brokers down it went
     * back further than the aborted batch and relayed clicks twice (docs/failure-windows.md, window 3).
     */
    public static void rewindTo(KafkaConsumer<String, byte[]> consumer, ConsumerRecords<String, byte[]> batch) {
        for (TopicPartition partition : batch.partitions()) {
            consumer.seek(partition, batch.records(partition).get(0).offset());
        }
    }

    /**
     * Moves the consumer back to the group's committed offsets (the beginning where none are), so
     * the next poll reads again every record whose processing was not committed.
     */
    public static void rewindToCommitted(KafkaConsumer<String, byte[]> consumer) {
        Set<TopicPartition> assignment = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assignment);
        List<TopicPartition> neverCommitted = new ArrayList<>();
        for (TopicPartition partition : assignment) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset == null) {
                neverCommitted.add(partition);
            }
            else {
                consumer.seek(partition, offset);
            }
        }
        consumer.seekToBeginning(neverCommitted);
    }
}
