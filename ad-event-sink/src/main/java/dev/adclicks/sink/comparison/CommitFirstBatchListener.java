package dev.adclicks.sink.comparison;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Profile;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;

import dev.adclicks.model.AdEvent;
import dev.adclicks.model.Topics;
import dev.adclicks.sink.SinkMetrics;
import dev.adclicks.sink.ingest.AdEventBatchListener;
import dev.adclicks.sink.ingest.AdEventReader;
import dev.adclicks.sink.ingest.DeadLetterPublisher;
import dev.adclicks.sink.ingest.HaltAfterDbCommitFault;
import dev.adclicks.sink.ingest.UnreadableEventException;
import dev.adclicks.sink.store.EventWriter;
import dev.adclicks.sink.store.InsertIfAbsentEventWriter;
import dev.adclicks.sink.store.WriteResult;

/**
 * EXISTS ONLY FOR THE COMPARISON LAB: the sink's loop under the Spring profile {@code at-most-once},
 * instead of {@link AdEventBatchListener}; without that profile it does not exist. Copy
 * {@link AdEventBatchListener}, not this.
 *
 * <p>The reverse order, on purpose:
 * <ol>
 * <li>commit the batch's Kafka offsets ({@code acknowledge()} with AckMode MANUAL_IMMEDIATE is a
 *     {@code commitSync} right here, see {@link CommitFirstListenerConfiguration});</li>
 * <li>then store the events (same writer as the exactly-once mode, {@link InsertIfAbsentEventWriter},
 *     so this mode shows loss only, not double counting).</li>
 * </ol>
 * A crash between the two loses the batch: Kafka will not deliver it again. A failing write (DB
 * down) is NOT retried: it is logged, counted in {@code sink.events.lost}, and the listener moves
 * on, so an outage loses every batch polled during it. Unreadable records are dead-lettered as
 * usual, but a failure to dead-letter is only logged.
 *
 * <p>The test aid {@code sink.fault.halt-after-db-commit} fires after the DB commit, which here is
 * after the offset commit too: it loses nothing in this mode.
 */
@Component
@Profile("at-most-once")
public class CommitFirstBatchListener {

    private static final Logger log = LoggerFactory.getLogger(CommitFirstBatchListener.class);

    private final AdEventReader reader;
    private final DeadLetterPublisher deadLetters;
    private final EventWriter writer;
    private final SinkMetrics metrics;
    private final Counter lost;
    private final HaltAfterDbCommitFault fault;

    public CommitFirstBatchListener(AdEventReader reader, DeadLetterPublisher deadLetters, EventWriter writer,
            SinkMetrics metrics, MeterRegistry registry, ObjectProvider<HaltAfterDbCommitFault> fault) {
        this.reader = reader;
        this.deadLetters = deadLetters;
        this.writer = writer;
        this.metrics = metrics;
        this.lost = Counter.builder("sink.events.lost")
                .description("at-most-once comparison mode: events whose offsets were committed but whose DB write failed")
                .register(registry);
        this.fault = fault.getIfAvailable();
    }

    @KafkaListener(id = "ad-event-sink", groupId = "${spring.kafka.consumer.group-id}", topics = Topics.AD_EVENTS,
            batch = "true", containerFactory = CommitFirstListenerConfiguration.CONTAINER_FACTORY)
    public void onBatch(List<ConsumerRecord<String, byte[]>> records, Acknowledgment acknowledgment) {
        acknowledgment.acknowledge(); // offsets committed NOW: from here on, a crash loses this batch

        List<AdEvent> events = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                events.add(reader.read(record.value()));
            }
            catch (UnreadableEventException unreadable) {
                try {
                    deadLetters.publish(record, unreadable);
                }
                catch (RuntimeException e) {
                    log.error("Could not dead-letter {}-{}@{}, dropped (at-most-once): {}", record.topic(),
                            record.partition(), record.offset(), e.toString());
                }
            }
        }

        WriteResult result;
        try {
            result = writer.write(events);
        }
        catch (RuntimeException e) {
            lost.increment(events.size());
            log.error("LOST {} events (at-most-once): their offsets are committed and the DB write failed; not retried: {}",
                    events.size(), NestedExceptionUtils.getMostSpecificCause(e).toString());
            return;
        }
        if (fault != null) {
            fault.afterDbCommit(result.inserted()); // test aid: after the DB commit, which is after the offset commit
        }
        metrics.eventsInserted(result.inserted());
        metrics.duplicatesAbsorbed(result.duplicates());
    }
}
