package dev.adclicks.sink.ingest;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.IsolationLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.util.backoff.ExponentialBackOff;

import dev.adclicks.model.Topics;
import dev.adclicks.sink.SinkMetrics;
import dev.adclicks.sink.SinkProperties;

/**
 * The Kafka side of guard 3: the consumer and listener container settings the guard depends on, what
 * happens when storing a batch fails, and the topics the sink needs.
 *
 * <p>Connection and tuning settings (bootstrap servers, group id, max.poll.records, deserializers,
 * concurrency...) come from {@code spring.kafka.*} as usual. The settings the guarantee depends on are
 * set here, after {@code spring.kafka.*} has been applied, so no property file, command-line flag or
 * {@code SPRING_KAFKA_*} environment variable can quietly weaken them: the consumer's in
 * {@link #pinnedConsumerSettings()}, the container's in {@link #kafkaListenerContainerFactory}.
 */
@Configuration(proxyBeanMethods = false)
public class SinkKafkaConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SinkKafkaConfiguration.class);

    /**
     * Declared here too (as {@link Topics} declares them), so the sink can start, and wait, before
     * the relay created its input.
     */
    @Bean
    KafkaAdmin.NewTopics sinkTopics(SinkProperties properties) {
        return new KafkaAdmin.NewTopics(Topics.declarations(List.of(Topics.AD_EVENTS, Topics.AD_EVENTS_DLT),
                properties.topic().replicationFactor()).toArray(NewTopic[]::new));
    }

    /**
     * The consumer settings of guard 3, over whatever {@code spring.kafka.consumer.*} says. Every
     * listener container of the sink gets its consumer from Boot's consumer factory, which applies this
     * customizer after the properties.
     */
    @Bean
    DefaultKafkaConsumerFactoryCustomizer pinnedConsumerSettings() {
        return factory -> {
            Map<String, Object> pinned = new HashMap<>();

            // Window closed: the relay aborted a transaction (an error before its commit, a fenced
            // zombie) after its records were written to ad-events. The client's default,
            // read_uncommitted, would hand those records to the listener and they would be stored as if
            // they had happened. read_committed delivers the records of committed transactions only.
            pinned.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());

            // Window closed: offsets committed for events that were never stored. Auto-commit commits
            // the consumer's position from inside poll(), on a timer, whatever the listener did with the
            // records: for instance in the polls between the attempts of a batch that fails while MySQL
            // is down. A crash or a rebalance then skips that batch for good. With auto-commit off, only
            // the container commits: for guard 3, after the DB transaction (kafkaListenerContainerFactory).
            pinned.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);

            // Window closed: a group without committed offsets (its first start, or its offsets expired
            // after the broker's offsets.retention.minutes). With the client's default, latest, it would
            // start at the end of ad-events and never store the events before it. earliest starts at the
            // oldest record; whatever of it is stored already is recognised by its clickId.
            pinned.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");

            factory.updateConfigs(pinned);
        };
    }

    /**
     * The container of {@link AdEventBatchListener}: {@code spring.kafka.listener.*} as usual, then
     * the settings guard 3 depends on.
     */
    @Bean
    ConcurrentKafkaListenerContainerFactory<Object, Object> kafkaListenerContainerFactory(
            ConcurrentKafkaListenerContainerFactoryConfigurer configurer, ConsumerFactory<Object, Object> consumerFactory,
            SinkProperties properties, SinkMetrics metrics) {
        ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
        configurer.configure(factory, consumerFactory);
        ContainerProperties container = factory.getContainerProperties();

        // Window closed: DB committed, crash before the offset commit. BATCH commits a poll's offsets
        // as soon as the listener has returned for the whole batch, that is right after its DB
        // transaction committed: the crash redelivers that one batch (its clickIds are found stored)
        // and never skips it. The other modes: RECORD is refused for a batch listener; MANUAL and
        // MANUAL_IMMEDIATE commit only what the listener acknowledges, and this one acknowledges
        // nothing, so the group would never move on; TIME and COUNT hold back the commits of batches
        // already stored, and a crash redelivers all of them.
        container.setAckMode(AckMode.BATCH);

        // ad-events is written in transactions, so each partition ends with a commit marker that is
        // not a record. Committing "last record + 1" would leave the group forever one offset behind
        // per partition: a lag of 1 that never drains, on dashboards and in alerts. With this the
        // container commits the consumer's position (past the marker) once the records are done; it
        // never commits past a record the listener has not handled.
        container.setFixTxOffsets(true);
        // It misses a commit another member of the group makes afterwards (a sink that lost the
        // partition in a rebalance, back to the marker): CommitPastTransactionMarkers repairs that on
        // the idle events published here (spring.kafka.listener.idle-event-interval sets another
        // interval). Before its first record the container would wait 5 intervals: here 1.
        if (container.getIdleEventInterval() == null) {
            container.setIdleEventInterval(CommitPastTransactionMarkers.IDLE_INTERVAL.toMillis());
        }
        container.setIdleBeforeDataMultiplier(1.0);

        factory.setCommonErrorHandler(retryBatchForeverErrorHandler(properties, metrics));
        return factory;
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
    private static DefaultErrorHandler retryBatchForeverErrorHandler(SinkProperties properties, SinkMetrics metrics) {
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
