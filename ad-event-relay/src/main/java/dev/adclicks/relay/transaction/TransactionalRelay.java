package dev.adclicks.relay.transaction;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;
import org.springframework.util.backoff.BackOffExecution;

import dev.adclicks.delivery.DeliverySemantics;
import dev.adclicks.model.Topics;
import dev.adclicks.observability.ClickJourney;
import dev.adclicks.observability.KafkaObservations;
import org.springframework.context.annotation.Profile;
import dev.adclicks.relay.processing.ClickRouter;
import dev.adclicks.relay.transaction.RelayPhases.Phase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

/**
 * Exactly-once read-process-write, top to bottom, after Kafka's own
 * {@code ExactlyOnceMessageProcessor}. For every polled batch of {@code ad-clicks}:
 *
 * <pre>
 *   beginTransaction
 *     send  ad-events            one priced event per valid click
 *     send  ad-clicks-rejected   invalid clicks, with the reason
 *     send  ad-clicks.DLT        records that are not clicks at all, with the error
 *     sendOffsetsToTransaction(next offsets, consumer.groupMetadata())
 *   commitTransaction            outputs and input offsets become visible together, or neither
 * </pre>
 *
 * Reactions, one per kind of exception:
 * <ul>
 * <li>fenced ({@link ProducerFencedException} and the other fatal producer errors): another
 * instance with our transactional.id took over. Stop for good — continuing would make this
 * instance a zombie. Health turns DOWN.</li>
 * <li>anything else ({@link KafkaException}, e.g. {@code CommitFailedException} when a rebalance
 * handed our partitions to another member — the consumer-generation fencing of EOS v2 — or a
 * broker timeout, or an error while processing): abort, rewind the consumer to the last committed
 * offsets, back off, and read the batch again. Nothing of the aborted attempt is visible to
 * read_committed readers, and the group's offsets did not move.</li>
 * </ul>
 *
 * Why a plain poll loop and not a listener container with a KafkaTransactionManager: the
 * container would call sendOffsetsToTransaction for us, invisibly. Here the one offset commit
 * of the relay is the line a reader can point at, and a rebalance can only happen inside
 * {@code poll()}, never while a transaction is open.
 *
 * <p>This is the relay of the default, exactly-once mode. (The comparison lab's weaker modes,
 * {@code pipeline.delivery=at-least-once|at-most-once}, run {@link NonTransactionalRelay} instead.)
 */
@Component
@Profile("!at-least-once & !at-most-once")
public class TransactionalRelay extends RelayLoop {

    private static final Logger log = LoggerFactory.getLogger(TransactionalRelay.class);

    private final ClickRouter router;
    private final TransactionFaultHook faultHook;
    private final RelayMetrics metrics;
    private final ObservationRegistry observations;
    private final RelayPhases phases;

    public TransactionalRelay(RelayKafkaClients clients, RelayProperties relay, ClickRouter router,
            ObjectProvider<TransactionFaultHook> faultHook, RelayMetrics metrics, MeterRegistry meters,
            ObjectProvider<ObservationRegistry> observations) {
        super(clients, relay, "transactional-relay", meters);
        this.router = router;
        this.faultHook = faultHook.getIfAvailable(() -> TransactionFaultHook.NONE);
        this.metrics = metrics;
        this.observations = observations.getIfAvailable(() -> ObservationRegistry.NOOP);
        this.phases = new RelayPhases(meters, DeliverySemantics.EXACTLY_ONCE);
    }

    /** Each session's producer is transactional, with this instance's stable transactional.id. */
    @Override
    protected KafkaProducer<String, byte[]> newProducer() {
        return clients.transactionalProducer();
    }

    /**
     * The read-process-write loop of one consumer + producer pair. When something breaks that an
     * abort cannot mend (the abort itself failed, the broker is gone), {@link RelayLoop} closes both
     * and starts a new session: its {@code initTransactions()} completes or aborts whatever the old
     * producer left open, and its consumer resumes from the committed offsets — the same state an
     * abort leaves behind.
     */
    @Override
    protected void runSession(KafkaConsumer<String, byte[]> consumer, KafkaProducer<String, byte[]> producer) {
        // Fences any older producer with our transactional.id and aborts what it left open.
        producer.initTransactions();
        consumer.subscribe(List.of(Topics.AD_CLICKS));
        log.info("Relay {} running: {} -> {} in transactions (transactional.id {})", relay.instanceId(),
                Topics.AD_CLICKS, Topics.AD_EVENTS, relay.transactionalId());
        BackOffExecution backOff = newBackOff();
        while (running()) {
            ConsumerRecords<String, byte[]> records = consumer.poll(relay.pollTimeout());
            if (records.isEmpty()) {
                continue;
            }
            // counted per topic, not kept: a ProducerRecord held until the commit would outlive young
            // collections and fill the old generation (docs/performance.md)
            RelayMetrics.Outputs outputs = new RelayMetrics.Outputs();
            phases.start();
            try {
                producer.beginTransaction();
                for (ConsumerRecord<String, byte[]> record : records) {
                    outputs.sent(relayOne(record, producer)); // event, rejection or dead letter
                }
                phases.done(Phase.PROCESS);
                // The input offsets join the transaction: pending until it commits, dropped if it aborts.
                // (Before the flush: their round trips overlap the outputs' produce requests.)
                producer.sendOffsetsToTransaction(ConsumedOffsets.next(records), consumer.groupMetadata());
                phases.done(Phase.OFFSETS);
                // Every output is now in the log, uncommitted. From here to the commit is the window in
                // which a crash must change nothing: abort (or the fencing restart) hides the outputs,
                // and the offsets have not moved. (The test hook fails or halts exactly here.)
                producer.flush();
                phases.done(Phase.FLUSH);
                faultHook.afterSendsBeforeCommit(outputs.total());
                producer.commitTransaction();
                phases.done(Phase.COMMIT);
                metrics.committed(outputs);
                backOff = newBackOff();
            }
            catch (ProducerFencedException | FencedInstanceIdException | OutOfOrderSequenceException
                    | UnsupportedVersionException | AuthorizationException | WakeupException fatalOrStopping) {
                throw fatalOrStopping;
            }
            catch (RuntimeException e) {
                log.warn("Transaction aborted, rewinding to the committed offsets: {}", e.toString());
                producer.abortTransaction();
                metrics.aborted(outputs.total());
                // after an abort the consumer's position is past records whose outputs were discarded
                ConsumedOffsets.rewindToCommitted(consumer);
                pause(backOff.nextBackOff());
            }
        }
    }

    /**
     * Routes one record and sends its output inside the open transaction, continuing the click's
     * trace. With the click-journey log on, as a traced hop of its own: the input's traceparent
     * becomes the current trace (the journey line carries its id) and the output gets a child span's
     * traceparent. Otherwise the output carries the input's trace context as it came: the same trace
     * id downstream, without two observations per record, which cost this relay about half its
     * throughput (docs/performance.md). Returns the output's topic (the record itself is not kept).
     */
    private String relayOne(ConsumerRecord<String, byte[]> record,
            KafkaProducer<String, byte[]> producer) {
        if (!ClickJourney.LOG.isInfoEnabled()) {
            ProducerRecord<String, byte[]> output = router.route(record);
            KafkaObservations.copyTraceContext(record, output);
            producer.send(output);
            return output.topic();
        }
        return KafkaObservations.receive(record, "ad-event-relay", relay.groupId(), observations).observe(() -> {
            ProducerRecord<String, byte[]> output = router.route(record);
            KafkaObservations.send(output, "ad-event-relay", observations).observe(() -> producer.send(output));
            return output.topic();
        });
    }

    /** Fenced, or a producer error after which the transactional state is unknown. */
    @Override
    protected boolean isFatal(RuntimeException error) {
        return error instanceof ProducerFencedException || error instanceof FencedInstanceIdException
                || error instanceof OutOfOrderSequenceException || error instanceof UnsupportedVersionException
                || error instanceof AuthorizationException;
    }

    @Override
    protected void onFatal(RuntimeException error) {
        log.error("Relay {} stopped for good: fenced or fatal producer error. Another instance with "
                + "transactional.id {} (or a newer group generation) took over; continuing would make this "
                + "instance a zombie.", relay.instanceId(), relay.transactionalId(), error);
    }

    @Override
    public Health health() {
        if (failed()) {
            return Health.down().withDetail("transactionalId", relay.transactionalId())
                    .withDetail("error", String.valueOf(fatalError())).build();
        }
        return (running() ? Health.up() : Health.outOfService()).withDetail("transactionalId", relay.transactionalId())
                .build();
    }
}
