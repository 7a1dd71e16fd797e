package dev.adclicks.relay.transaction;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's first {@code initTransactions()}, begun while the application is still starting, on
 * a thread of its own; the relay's first session then takes that producer instead of making one.
 * Every later session makes its own producer and fences on the relay's thread. Begun by
 * {@link FencingAtLaunch} as soon as the configuration is read (the packaged service), or else by
 * {@link TransactionalRelay} as soon as its bean is built.
 *
 * <p>Why: a relay killed inside a transaction leaves it open, and until its successor's
 * {@code initTransactions()} aborts it (or the transaction timeout does), every read_committed
 * reader of the partitions it wrote waits: the sinks, and the twin relay that takes over its
 * partitions of {@code ad-clicks} ("partitions still have unstable offsets"). The relay's own
 * thread starts only once the application has started, its web servers included: about 5 s into
 * the process on the lab's two busy cores (docs/recovery.md, "Fencing while the application starts").
 *
 * <p>What is hand-written here is only the hand-over: Kafka's client has no asynchronous
 * {@code initTransactions()}, and the session must not call it a second time on the same producer
 * (the client refuses once the producer is ready for transactions).
 */
public final class EarlyFencing {

    private static final Logger log = LoggerFactory.getLogger(EarlyFencing.class);

    private final String transactionalId;
    private final Supplier<KafkaProducer<String, byte[]>> newProducer;
    private final CompletableFuture<KafkaProducer<String, byte[]>> created = new CompletableFuture<>();
    private final CompletableFuture<Void> fenced = new CompletableFuture<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean handedOver = new AtomicBoolean();

    EarlyFencing(String transactionalId, Supplier<KafkaProducer<String, byte[]>> newProducer) {
        this.transactionalId = transactionalId;
        this.newProducer = newProducer;
    }

    /** Makes the first producer and calls its {@code initTransactions()} on a daemon thread. */
    void start() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        long begun = System.nanoTime();
        Thread thread = new Thread(() -> {
            // Throwable, not only RuntimeException: a future left incomplete would hang the first
            // session for good, and stop() could not wake it
            KafkaProducer<String, byte[]> producer;
            try {
                producer = newProducer.get();
            }
            catch (Throwable e) {
                created.completeExceptionally(e);
                fenced.completeExceptionally(e);
                return;
            }
            created.complete(producer);
            try {
                producer.initTransactions();
                fenced.complete(null);
                log.info("Fenced earlier producers of transactional.id {} (and ended what they left open), "
                        + "{} ms after the fencing began", transactionalId, (System.nanoTime() - begun) / 1_000_000);
            }
            catch (Throwable e) {
                fenced.completeExceptionally(e); // thrown again in the first session, as the call itself would throw it there
            }
        }, "transactional-relay-fencing");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The producer made by {@link #start()}, the first time this is called (waiting for it to exist,
     * and throwing what making it threw); empty after that, or if the fencing never started.
     */
    Optional<KafkaProducer<String, byte[]>> takeProducer() {
        if (!started.get() || !handedOver.compareAndSet(false, true)) {
            return Optional.empty();
        }
        return Optional.of(join(created));
    }

    /**
     * {@code initTransactions()} for a session's producer. For the producer made by {@link #start()}
     * the call was made there: waits for it to end, and throws what it threw, as the call itself would.
     */
    void initTransactions(KafkaProducer<String, byte[]> producer) {
        if (created.isDone() && !created.isCompletedExceptionally() && created.join() == producer) {
            join(fenced);
        }
        else {
            producer.initTransactions();
        }
    }

    /**
     * Closes the producer made by {@link #start()} if no session took it: the application stopped or
     * failed to start before the relay's thread ran. (A session closes the producers it took.)
     */
    void close() {
        if (handedOver.compareAndSet(false, true)) {
            created.thenAccept(producer -> producer.close(Duration.ZERO));
        }
    }

    /** The transactional.id the producer made by {@link #start()} has. */
    String transactionalId() {
        return transactionalId;
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        }
        catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }
}
