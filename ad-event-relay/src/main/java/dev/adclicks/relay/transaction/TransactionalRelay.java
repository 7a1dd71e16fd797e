package dev.adclicks.relay.transaction;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
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
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

import dev.adclicks.delivery.DeliverySemantics;
import dev.adclicks.model.Topics;
import dev.adclicks.delivery.ConditionalOnDeliverySemantics;
import dev.adclicks.relay.processing.ClickRouter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

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
@ConditionalOnDeliverySemantics(DeliverySemantics.EXACTLY_ONCE)
public class TransactionalRelay implements SmartLifecycle, HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(TransactionalRelay.class);

    private final RelayKafkaClients clients;
    private final RelayProperties relay;
    private final ClickRouter router;
    private final TransactionFaultHook faultHook;
    private final Counter committed;
    private final Counter aborted;

    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private volatile Thread loop;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile RuntimeException fatalError;

    public TransactionalRelay(RelayKafkaClients clients, RelayProperties relay, ClickRouter router,
            ObjectProvider<TransactionFaultHook> faultHook, MeterRegistry meters) {
        this.clients = clients;
        this.relay = relay;
        this.router = router;
        this.faultHook = faultHook.getIfAvailable(() -> TransactionFaultHook.NONE);
        this.committed = meters.counter("relay.transactions", "outcome", "committed");
        this.aborted = meters.counter("relay.transactions", "outcome", "aborted");
    }

    /**
     * Runs sessions until stopped. A session is one consumer + one transactional producer; when
     * something breaks that an abort cannot mend (the abort itself failed, the broker is gone), the
     * clients are closed and a new session starts: its {@code initTransactions()} completes or
     * aborts whatever the old producer left open, and its consumer resumes from the committed
     * offsets — the same state an abort leaves behind.
     */
    private void run() {
        BackOffExecution backOff = newBackOff();
        while (state.get() == State.RUNNING) {
            try (KafkaConsumer<String, byte[]> consumer = clients.consumer();
                    KafkaProducer<String, byte[]> producer = clients.transactionalProducer()) {
                this.consumer = consumer;
                if (state.get() != State.RUNNING) {
                    return;
                }
                runSession(consumer, producer);
            }
            catch (WakeupException stopping) {
                // stop() woke the consumer: leave; an open transaction is aborted when the producer closes
            }
            catch (ProducerFencedException | FencedInstanceIdException | OutOfOrderSequenceException
                    | UnsupportedVersionException | AuthorizationException fatal) {
                fail(fatal);
                return;
            }
            catch (RuntimeException e) {
                log.warn("Relay session failed, starting a new one: {}", e.toString());
                pause(backOff.nextBackOff());
            }
            finally {
                consumer = null;
            }
        }
    }

    /** The read-process-write loop of one consumer + producer pair. */
    private void runSession(KafkaConsumer<String, byte[]> consumer, KafkaProducer<String, byte[]> producer) {
        // Fences any older producer with our transactional.id and aborts what it left open.
        producer.initTransactions();
        consumer.subscribe(List.of(Topics.AD_CLICKS));
        log.info("Relay {} running: {} -> {} in transactions (transactional.id {})", relay.instanceId(),
                Topics.AD_CLICKS, Topics.AD_EVENTS, relay.transactionalId());
        BackOffExecution backOff = newBackOff();
        while (state.get() == State.RUNNING) {
            ConsumerRecords<String, byte[]> records = consumer.poll(relay.pollTimeout());
            if (records.isEmpty()) {
                continue;
            }
            try {
                producer.beginTransaction();
                int sent = 0;
                for (ConsumerRecord<String, byte[]> record : records) {
                    producer.send(router.route(record)); // event, rejection or dead letter
                    sent++;
                }
                faultHook.afterSendsBeforeCommit(sent);
                producer.sendOffsetsToTransaction(ConsumedOffsets.next(records), consumer.groupMetadata());
                producer.commitTransaction();
                committed.increment();
                backOff = newBackOff();
            }
            catch (ProducerFencedException | FencedInstanceIdException | OutOfOrderSequenceException
                    | UnsupportedVersionException | AuthorizationException | WakeupException fatalOrStopping) {
                throw fatalOrStopping;
            }
            catch (RuntimeException e) {
                log.warn("Transaction aborted, rewinding to the committed offsets: {}", e.toString());
                producer.abortTransaction();
                aborted.increment();
                // after an abort the consumer's position is past records whose outputs were discarded
                ConsumedOffsets.rewindToCommitted(consumer);
                pause(backOff.nextBackOff());
            }
        }
    }

    private BackOffExecution newBackOff() {
        ExponentialBackOff backOff = new ExponentialBackOff(relay.retryInitialInterval().toMillis(), 2.0);
        backOff.setMaxInterval(relay.retryMaxInterval().toMillis());
        return backOff.start();
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state.set(State.STOPPED);
        }
    }

    private void fail(RuntimeException error) {
        fatalError = error;
        state.set(State.FAILED);
        log.error("Relay {} stopped for good: fenced or fatal producer error. Another instance with "
                + "transactional.id {} (or a newer group generation) took over; continuing would make this "
                + "instance a zombie.", relay.instanceId(), relay.transactionalId(), error);
    }

    @Override
    public void start() {
        if (state.compareAndSet(State.NEW, State.RUNNING) || state.compareAndSet(State.STOPPED, State.RUNNING)) {
            loop = new Thread(this::run, "transactional-relay");
            loop.start();
        }
    }

    @Override
    public void stop() {
        if (state.compareAndSet(State.RUNNING, State.STOPPED)) {
            KafkaConsumer<String, byte[]> current = consumer;
            if (current != null) {
                current.wakeup();
            }
        }
        Thread current = loop;
        if (current != null) {
            try {
                current.join(30_000);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return state.get() == State.RUNNING;
    }

    @Override
    public Health health() {
        return switch (state.get()) {
            case RUNNING -> Health.up().withDetail("transactionalId", relay.transactionalId()).build();
            case FAILED -> Health.down().withDetail("transactionalId", relay.transactionalId())
                    .withDetail("error", String.valueOf(fatalError)).build();
            case NEW, STOPPED -> Health.outOfService().build();
        };
    }

    private enum State {
        NEW, RUNNING, STOPPED, FAILED
    }
}
