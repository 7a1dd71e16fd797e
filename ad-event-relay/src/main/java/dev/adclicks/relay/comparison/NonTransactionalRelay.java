package dev.adclicks.relay.comparison;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import org.springframework.util.backoff.BackOffExecution;

import dev.adclicks.delivery.DeliverySemantics;
import dev.adclicks.model.Topics;
import dev.adclicks.relay.processing.ProcessingWarmUp;
import dev.adclicks.relay.processing.RelayStep;
import dev.adclicks.relay.transaction.ConsumedOffsets;
import dev.adclicks.relay.transaction.RelayKafkaClients;
import dev.adclicks.relay.transaction.RelayPhases;
import dev.adclicks.relay.transaction.RelayPhases.Phase;
import dev.adclicks.relay.transaction.RelayProperties;
import dev.adclicks.relay.transaction.RelayRunner;
import dev.adclicks.relay.transaction.TransactionFaultHook;
import dev.adclicks.relay.transaction.TransactionalRelay;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * EXISTS ONLY FOR THE COMPARISON LAB: what the relay would do without a transaction. It runs
 * instead of {@link TransactionalRelay} under the Spring profile {@code at-least-once} or
 * {@code at-most-once} (the {@code @Profile} below), never in the default mode. Copy
 * {@link TransactionalRelay}, not this.
 *
 * <p>Same shape as {@link TransactionalRelay} (a loop run by a {@link RelayRunner}, the same
 * {@link RelayStep} per record, the same consumer: no auto-commit, read_committed), but with a
 * plain producer and {@code consumer.commitSync()} instead of a transaction:
 *
 * <pre>
 *   at-least-once                          at-most-once
 *   poll                                   poll
 *   send all       (acks=1, retries)       commitSync(next offsets)   input marked done first
 *   flush, check every ack                 send all       (acks=0: nothing is awaited)
 *   fault hook                             fault hook
 *   commitSync(next offsets)
 * </pre>
 *
 * The windows each order leaves open, which the lab hits with its faults:
 * <ul>
 * <li>at-least-once: a crash or an error after the sends and before {@code commitSync} (where
 * {@link TransactionFaultHook} is called) leaves the outputs in the log, uncommitted offsets
 * behind, and the batch is read and sent again: its events are in {@code ad-events} twice, and
 * read_committed does not hide the first copy (there is no transaction to abort). Reaction to any
 * error: rewind to the committed offsets, back off, read the batch again.</li>
 * <li>at-most-once: a crash after {@code commitSync} and before the broker has the sends (the hook
 * is called after the commit and the sends, with the sends possibly still in the producer's
 * buffer) loses the batch: its offsets say it is done. Reaction to any error: log it and move on
 * with the next poll, nothing is retried.</li>
 * </ul>
 * No error is fatal to it (without a transactional.id nothing can fence it): a broken session
 * (broker gone) is replaced by a new consumer and producer, and the new consumer resumes from the
 * committed offsets.
 */
@Component
@Profile("at-least-once | at-most-once")
public class NonTransactionalRelay implements SmartLifecycle, HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(NonTransactionalRelay.class);

    private final KafkaProperties kafka;
    private final RelayProperties relay;
    private final DeliverySemantics semantics;
    private final RelayStep step;
    private final TransactionFaultHook faultHook;
    private final Counter committed;
    private final Counter failed;
    private final RelayPhases phases;
    private final RelayRunner runner;
    private final ProcessingWarmUp warmUp;

    public NonTransactionalRelay(KafkaProperties kafka, RelayKafkaClients clients, RelayProperties relay,
            DeliverySemantics semantics, RelayStep step, ObjectProvider<TransactionFaultHook> faultHook,
            MeterRegistry meters, ProcessingWarmUp warmUp) {
        this.kafka = kafka;
        this.warmUp = warmUp;
        this.relay = relay;
        this.semantics = semantics;
        this.step = step;
        this.faultHook = faultHook.getIfAvailable(() -> TransactionFaultHook.NONE);
        String mode = semantics.profileName();
        this.committed = meters.counter("relay.batches", "semantics", mode, "outcome", "committed");
        this.failed = meters.counter("relay.batches", "semantics", mode, "outcome", "failed");
        this.phases = new RelayPhases(meters, semantics);
        this.runner = new RelayRunner("non-transactional-relay", relay, meters, clients::consumer,
                this::producer, this::runSession, error -> false);
    }

    public DeliverySemantics semantics() {
        return semantics;
    }

    /**
     * The plain, non-transactional producer's configuration: {@code spring.kafka.producer.*} with the
     * weaker mode's overrides ({@link DeliverySemantics#producerOverrides()}). Which failure window
     * each setting leaves open:
     * <ul>
     * <li>at-least-once: no idempotence, {@code acks=1}, retries on (bounded by
     * {@code delivery.timeout.ms}), 5 in flight: a batch resent after a lost ack is appended twice,
     * and a retried batch can land after a later one.</li>
     * <li>at-most-once: no idempotence, {@code acks=0}, no retries: the producer does not learn
     * whether the broker got anything.</li>
     * </ul>
     */
    public Map<String, Object> producerConfig() {
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        config.putAll(semantics.producerOverrides());
        return config;
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(producerConfig(), new StringSerializer(), new ByteArraySerializer());
    }

    private void runSession(KafkaConsumer<String, byte[]> consumer, KafkaProducer<String, byte[]> producer) {
        consumer.subscribe(List.of(Topics.AD_CLICKS));
        log.warn("Relay {} running WITHOUT transactions ({}): {} -> {}, offsets by commitSync", relay.instanceId(),
                semantics.startupMessage(), Topics.AD_CLICKS, Topics.AD_EVENTS);
        Function<ProducerRecord<String, byte[]>, Future<RecordMetadata>> send = producer::send;
        BackOffExecution backOff = runner.newBackOff();
        while (runner.isRunning()) {
            ConsumerRecords<String, byte[]> records = consumer.poll(relay.pollTimeout());
            if (records.isEmpty()) {
                continue;
            }
            try {
                if (semantics == DeliverySemantics.AT_LEAST_ONCE) {
                    sendThenCommit(consumer, producer, send, records);
                }
                else {
                    commitThenSend(consumer, send, records);
                }
                committed.increment();
                backOff = runner.newBackOff();
            }
            catch (WakeupException stopping) {
                throw stopping; // stop() was called: the runner ends the thread
            }
            catch (RuntimeException e) {
                failed.increment();
                if (semantics == DeliverySemantics.AT_LEAST_ONCE) {
                    // No abort exists: whatever was sent stays in ad-events, and is sent again.
                    log.warn("Batch failed, rewinding to the committed offsets to send it again: {}", e.toString());
                    ConsumedOffsets.rewindToCommitted(consumer);
                    runner.pause(backOff.nextBackOff());
                }
                else {
                    log.warn("Batch failed, moving on without retrying (its offsets may already be committed): {}",
                            e.toString());
                }
            }
        }
    }

    /** at-least-once: outputs first, offsets after; a failure in between means the batch is sent again. */
    private void sendThenCommit(KafkaConsumer<String, byte[]> consumer, KafkaProducer<String, byte[]> producer,
            Function<ProducerRecord<String, byte[]>, Future<RecordMetadata>> send, ConsumerRecords<String, byte[]> records) {
        phases.start();
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            acks.add(step.relay(record, send));
        }
        phases.done(Phase.PROCESS);
        producer.flush();
        awaitAll(acks); // flush() does not throw for a failed send; its future does
        phases.done(Phase.FLUSH);
        faultHook.afterSendsBeforeCommit(acks.size());
        consumer.commitSync(ConsumedOffsets.next(records));
        phases.done(Phase.OFFSETS);
    }

    /** at-most-once: offsets first, outputs after, unawaited; a failure after the commit loses the batch. */
    private void commitThenSend(KafkaConsumer<String, byte[]> consumer,
            Function<ProducerRecord<String, byte[]>, Future<RecordMetadata>> send, ConsumerRecords<String, byte[]> records) {
        phases.start();
        consumer.commitSync(ConsumedOffsets.next(records));
        phases.done(Phase.OFFSETS);
        int sent = 0;
        for (ConsumerRecord<String, byte[]> record : records) {
            step.relay(record, send);
            sent++;
        }
        phases.done(Phase.PROCESS);
        faultHook.afterSendsBeforeCommit(sent); // here: after the commit AND the sends, which may be unflushed
    }

    private static void awaitAll(List<Future<RecordMetadata>> acks) {
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get();
            }
            catch (ExecutionException e) {
                throw new IllegalStateException("A send of the batch failed", e.getCause());
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the batch's acks", e);
            }
        }
    }

    @Override
    public Health health() {
        Map<String, Object> producer = producerConfig();
        Health.Builder health = runner.isRunning() ? Health.up() : Health.outOfService();
        return health.withDetail("deliverySemantics", semantics.name())
                .withDetail("transactional", false)
                .withDetail(ProducerConfig.ACKS_CONFIG, producer.get(ProducerConfig.ACKS_CONFIG))
                .withDetail(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, producer.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG))
                .build();
    }

    @Override
    public void start() {
        // Before the session, whose thread joins the group. (TransactionalRelay warms up inside its
        // session, after initTransactions(): it has a predecessor's open transaction to abort first.)
        warmUp.run();
        runner.start();
    }

    @Override
    public void stop() {
        runner.stop();
    }

    @Override
    public boolean isRunning() {
        return runner.isRunning();
    }
}
