package dev.adclicks.sink.ingest;

import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.util.backoff.ExponentialBackOff;

import dev.adclicks.model.Topics;
import dev.adclicks.sink.SinkMetrics;
import dev.adclicks.sink.SinkProperties;

/**
 * The topics the sink needs, and what happens when storing a batch fails.
 *
 * <p>The consumer itself (read_committed, no auto-commit, batch listener, AckMode BATCH) is
 * configured in {@code application.yml}; Boot's container factory picks up the error handler below.
 */
@Configuration(proxyBeanMethods = false)
public class SinkKafkaConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SinkKafkaConfiguration.class);

    /** Declared here too, so the sink can start (and wait) before the relay created the topic. */
    @Bean
    NewTopic adEventsTopic(SinkProperties properties) {
        return TopicBuilder.name(Topics.AD_EVENTS)
                .partitions(properties.topic().partitions())
                .replicas(properties.topic().replicas())
                .build();
    }

    @Bean
    NewTopic adEventsDeadLetterTopic(SinkProperties properties) {
        return TopicBuilder.name(Topics.AD_EVENTS_DLT)
                .partitions(properties.topic().partitions())
                .replicas(properties.topic().replicas())
                .build();
    }

    /**
     * {@code ad-events} is written in transactions, so each partition ends with a commit marker that
     * is not a record. Committing "last record + 1" would leave the group forever one offset behind
     * per partition: a lag of 1 that never drains, on dashboards and in alerts. With this the
     * container commits the consumer's position (past the marker) once the records are done. It
     * never commits past a record that was not stored.
     */
    @Bean
    ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> commitPastTransactionMarkers() {
        return container -> container.getContainerProperties().setFixTxOffsets(true);
    }

    /**
     * A failed batch (DB down, deadlock, a bug) is retried WHOLE, with exponential back-off, for as
     * long as it takes; its offsets are not committed in the meantime.
     *
     * <p>Unlimited, and without a recoverer that could skip: any recoverer would, after the last
     * attempt, let the container commit offsets past events that were never stored, which is loss.
     * Unreadable records never get here (the listener dead-letters them), so what fails here is
     * either transient or a bug; both must stop the line rather than drop data. Should retries ever
     * end anyway (someone limits the back-off), the recoverer below refuses, which re-seeks the batch.
     *
     * <p>For an exception other than {@code BatchListenerFailedException}, DefaultErrorHandler falls
     * back to retrying the batch in memory: it pauses the partitions and keeps polling between
     * attempts, so the consumer stays in the group (no max.poll.interval.ms expiry, no rebalance).
     */
    @Bean
    DefaultErrorHandler retryBatchForeverErrorHandler(SinkProperties properties, SinkMetrics metrics) {
        ExponentialBackOff backOff = new ExponentialBackOff(
                properties.retry().initialInterval().toMillis(), properties.retry().multiplier());
        backOff.setMaxInterval(properties.retry().maxInterval().toMillis());
        backOff.setMaxAttempts(ExponentialBackOff.DEFAULT_MAX_ATTEMPTS); // Long.MAX_VALUE: unlimited
        backOff.setMaxElapsedTime(ExponentialBackOff.DEFAULT_MAX_ELAPSED_TIME); // Long.MAX_VALUE: unlimited

        DefaultErrorHandler handler = new DefaultErrorHandler((record, exception) -> {
            throw new IllegalStateException("Refusing to skip " + record.topic() + "-" + record.partition()
                    + "@" + record.offset() + ": it was never stored", exception);
        }, backOff);
        // Every exception is retryable: the default list treats e.g. ClassCastException as fatal and
        // would hand the batch to the recoverer at once.
        handler.setClassifications(Map.of(), true);
        handler.setRetryListeners(new LogEveryFailedAttempt(metrics));
        return handler;
    }

    private record LogEveryFailedAttempt(SinkMetrics metrics) implements RetryListener {

        @Override
        public void failedDelivery(ConsumerRecords<?, ?> records, Exception ex, int deliveryAttempt) {
            metrics.batchAttemptFailed();
            log.warn("Storing a batch of {} records ({}) failed, attempt {}; offsets not committed, retrying: {}",
                    records.count(), records.partitions(), deliveryAttempt,
                    NestedExceptionUtils.getMostSpecificCause(ex).toString());
        }

        @Override
        public void failedDelivery(ConsumerRecord<?, ?> record, Exception ex, int deliveryAttempt) {
            // record listeners only; this sink's listener is a batch listener
            metrics.batchAttemptFailed();
            log.warn("Storing {}-{}@{} failed, attempt {}; retrying: {}", record.topic(), record.partition(),
                    record.offset(), deliveryAttempt, NestedExceptionUtils.getMostSpecificCause(ex).toString());
        }
    }
}
