package dev.adclicks.sink.ingest;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.adclicks.model.DeadLetterHeaders;
import dev.adclicks.model.Topics;
import dev.adclicks.sink.SinkMetrics;
import dev.adclicks.sink.SinkProperties;

/**
 * Moves an unreadable record of {@code ad-events} to {@code ad-events.DLT} so it never stalls its
 * partition, and returns only once the broker acknowledged it: {@link AdEventBatchListener} commits
 * the record's offset with the rest of the batch afterwards, so it must not be lost on the way.
 *
 * <p>At-least-once: if the batch fails later (DB down) and is retried, the record is sent again.
 * The DLT is for people to inspect; the duplicate carries the same original topic/partition/offset.
 */
@Component
public class DeadLetterPublisher {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterPublisher.class);

    private final KafkaTemplate<String, byte[]> kafka;
    private final SinkMetrics metrics;
    private final long sendTimeoutMillis;

    public DeadLetterPublisher(KafkaTemplate<String, byte[]> kafka, SinkMetrics metrics, SinkProperties properties) {
        this.kafka = kafka;
        this.metrics = metrics;
        this.sendTimeoutMillis = properties.deadLetterSendTimeout().toMillis();
    }

    /** Sends {@code record}'s original key and bytes with the reason; throws if the broker did not ack. */
    public void publish(ConsumerRecord<String, byte[]> record, Exception reason) {
        // the headers name the error behind UnreadableEventException (e.g. Jackson's) when there is one
        Throwable error = reason.getCause() != null ? reason.getCause() : reason;
        ProducerRecord<String, byte[]> deadLetter = DeadLetterHeaders.deadLetter(Topics.AD_EVENTS_DLT, record, error);
        try {
            kafka.send(deadLetter).get(sendTimeoutMillis, TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while dead-lettering " + describe(record), e);
        }
        catch (ExecutionException | TimeoutException e) {
            // AdEventBatchListener's batch then fails before its DB step and is retried whole, this
            // dead letter included.
            throw new IllegalStateException("Could not dead-letter " + describe(record), e);
        }
        metrics.deadLettered();
        log.warn("Dead-lettered {} to {}: {}", describe(record), Topics.AD_EVENTS_DLT, reason.getMessage());
    }

    private static String describe(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
