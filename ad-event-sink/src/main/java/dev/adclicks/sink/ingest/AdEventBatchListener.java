package dev.adclicks.sink.ingest;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Profile;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.adclicks.model.AdEvent;
import dev.adclicks.model.Topics;
import dev.adclicks.observability.ClickJourney;
import dev.adclicks.observability.KafkaObservations;
import dev.adclicks.sink.SinkMetrics;
import dev.adclicks.sink.store.EventWriter;
import dev.adclicks.sink.store.InsertIfAbsentEventWriter;
import dev.adclicks.sink.store.WriteResult;

/**
 * The sink's loop, one polled batch at a time:
 *
 * <ol>
 * <li>read each record; an unreadable one goes to {@code ad-events.DLT} (acked) and is skipped;</li>
 * <li>store the readable events in ONE database transaction ({@link InsertIfAbsentEventWriter});</li>
 * <li>return: only now does the container commit the batch's offsets (AckMode BATCH, auto-commit off:
 *     pinned in {@link SinkKafkaConfiguration}).</li>
 * </ol>
 *
 * <p>That order is the point. A crash between the DB commit and the offset commit redelivers the
 * batch, never loses it, and the writer finds the redelivered clickIds stored and neither stores nor
 * counts them again. The reverse order (offsets first) would turn the same crash into lost events. An
 * exception anywhere means no offset commit: the error handler retries the whole batch (see
 * {@link SinkKafkaConfiguration}).
 *
 * <p>(The comparison lab's {@code at-least-once} mode runs this same listener with
 * {@link dev.adclicks.sink.comparison.NaiveCountingEventWriter} as the writer; its {@code at-most-once}
 * mode replaces it with {@link dev.adclicks.sink.comparison.CommitFirstBatchListener}.)
 */
@Component
@Profile("!at-most-once")
public class AdEventBatchListener {

    /** The listener's id, and the name of its container. */
    static final String LISTENER_ID = "ad-event-sink";

    private static final Logger log = LoggerFactory.getLogger(AdEventBatchListener.class);

    private final AdEventReader reader;
    private final DeadLetterPublisher deadLetters;
    private final EventWriter writer; // InsertIfAbsentEventWriter (NaiveCountingEventWriter in at-least-once)
    private final SinkMetrics metrics;

    private final HaltAfterDbCommitFault fault;
    private final ObservationRegistry observations;
    private final String groupId;

    public AdEventBatchListener(AdEventReader reader, DeadLetterPublisher deadLetters,
            EventWriter writer, SinkMetrics metrics, ObjectProvider<HaltAfterDbCommitFault> fault,
            ObjectProvider<ObservationRegistry> observations,
            @Value("${spring.kafka.consumer.group-id}") String groupId) {
        this.reader = reader;
        this.deadLetters = deadLetters;
        this.writer = writer;
        this.metrics = metrics;
        this.fault = fault.getIfAvailable();
        this.observations = observations.getIfAvailable(() -> ObservationRegistry.NOOP);
        this.groupId = groupId;
    }

    @KafkaListener(id = LISTENER_ID, groupId = "${spring.kafka.consumer.group-id}", topics = Topics.AD_EVENTS,
            batch = "true")
    public void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        List<AdEvent> events = new ArrayList<>(records.size());
        List<ConsumerRecord<String, byte[]>> readable = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                events.add(reader.read(record.value()));
                readable.add(record);
            }
            catch (UnreadableEventException unreadable) {
                // Retrying cannot make these bytes readable: park them, keep the partition moving.
                // Waits for the DLT ack, so the record is safe before its offset can be committed.
                deadLetters.publish(record, unreadable);
            }
        }

        WriteResult result = writer.write(events); // committed when it returns
        if (fault != null) {
            fault.afterDbCommit(result.inserted()); // test aid: crash between DB commit and offset commit
        }

        metrics.eventsInserted(result.inserted());
        metrics.duplicatesAbsorbed(result.duplicates());
        log.debug("Stored batch of {} records: {} inserted, {} duplicates absorbed, {} dead-lettered",
                records.size(), result.inserted(), result.duplicates(), records.size() - events.size());
        if (ClickJourney.LOG.isInfoEnabled()) {
            journey(readable, events, result);
        }
    }

    /**
     * The last line of each click's journey, logged inside the trace its record carries. spring-kafka
     * calls a batch listener outside any record's observation (its optional per-record observations of
     * a batch, recordObservationsInBatch, end before the listener runs), so the listener opens each
     * record's observation itself.
     *
     * <p>Only when the journey log is on: an observation per record is not free at thousands per second.
     */
    private void journey(List<ConsumerRecord<String, byte[]>> records, List<AdEvent> events, WriteResult result) {
        for (int i = 0; i < records.size(); i++) {
            AdEvent event = events.get(i);
            KafkaObservations.receive(records.get(i), "ad-event-sink", groupId, observations)
                    .observe(() -> ClickJourney.LOG.info(
                            "click {} committed to MySQL (its batch: {} inserted, {} duplicates absorbed)",
                            event.clickId(), result.inserted(), result.duplicates()));
        }
    }
}
