package dev.adclicks.sink.ingest;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.kafka.event.ListenerContainerIdleEvent;
import org.springframework.stereotype.Component;

/**
 * Moves the sink group's committed offset past the commit marker that ends a partition of
 * {@code ad-events}, when the listener container's own correction did not.
 *
 * <p>The container's correction ({@code setFixTxOffsets(true)}, see {@link SinkKafkaConfiguration})
 * commits the consumer's position when a poll comes back empty after the consumer has committed
 * offsets or fetched from a partition. It does not see a commit made afterwards by another member
 * of the group, and the fault lab met one (two sinks, a database outage, a rebalance):
 * <ol>
 *   <li>sink 2 retries a batch of partition 0 while the database is down; meanwhile a rebalance
 *       hands partition 0 to sink 1;</li>
 *   <li>sink 1 stores the same records (the unique key makes that harmless), reaches the end of the
 *       partition and commits past its marker;</li>
 *   <li>the database comes back; sink 2's retry succeeds and it commits that batch's offsets, last
 *       record + 1, that is the marker's offset. The broker accepts it: sink 2 is still a member of
 *       the group, and the classic protocol does not check who owns a partition;</li>
 *   <li>sink 1 has nothing more to read there, so its container never looks at partition 0 again
 *       (sink 2's own correction fails: the partition is no longer assigned to it). The group stays
 *       one offset behind for good: a lag of 1 that never drains, on dashboards and in alerts.</li>
 * </ol>
 * Nothing is lost or stored twice either way; only the lag is wrong.
 *
 * <p>So while the container is idle (no record delivered for {@link #IDLE_INTERVAL}; spring-kafka
 * then publishes {@link ListenerContainerIdleEvent} on the consumer's own thread, where the consumer
 * may be used), this commits the position of every assigned partition that is ahead of its
 * committed offset. That is safe because of when the event comes: with ack mode BATCH, every record
 * this consumer was given before an empty poll has been stored (a failing batch is retried inside
 * the error handler, which publishes no idle event), so what lies between a committed offset and
 * the position is records stored already, markers, and records of aborted transactions, which
 * {@code read_committed} never delivers. A paused container is left alone.
 *
 * <p>Hand-written because spring-kafka offers no periodic check of committed offsets against the
 * consumer's position.
 */
@Component
class CommitPastTransactionMarkers {

    /** How long the container must have delivered nothing before the correction runs. */
    static final Duration IDLE_INTERVAL = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(CommitPastTransactionMarkers.class);

    @EventListener
    void onIdle(ListenerContainerIdleEvent event) {
        // a concurrent container's children are named "<listener id>-<n>"
        if (!event.getListenerId().startsWith(AdEventBatchListener.LISTENER_ID) || event.isPaused()) {
            return;
        }
        Consumer<?, ?> consumer = event.getConsumer();
        Set<TopicPartition> assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            return;
        }
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned);
            Map<TopicPartition, OffsetAndMetadata> ahead = new HashMap<>();
            for (TopicPartition partition : assigned) {
                long position = consumer.position(partition);
                OffsetAndMetadata commit = committed.get(partition);
                long committedOffset = commit == null ? 0 : commit.offset();
                if (position > committedOffset) {
                    ahead.put(partition, new OffsetAndMetadata(position));
                }
            }
            if (!ahead.isEmpty()) {
                log.info("Committing past transaction markers while idle: {} (committed before: {})", ahead,
                        committed);
                consumer.commitSync(ahead);
            }
        }
        catch (KafkaException e) {
            // a rebalance, a coordinator moving, a timeout: the next idle event tries again
            log.warn("Could not compare or commit offsets while idle, retrying when next idle: {}", e.toString());
        }
    }
}
