package dev.adclicks.relay.transaction;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The relay's first {@code initTransactions()}, started while Spring Boot is still building the
 * application, on a thread of its own; the relay's first session then takes that producer instead
 * of making one. Every later session makes its own producer and fences on the relay's thread.
 *
 * <p>Why: a relay killed inside a transaction leaves it open, and until its successor's
 * {@code initTransactions()} aborts it (or the transaction timeout does), every read_committed
 * reader of the partitions it wrote waits: the sinks, and the twin relay that takes over its
 * partitions of {@code ad-clicks} ("partitions still have unstable offsets"). The relay's own
 * thread starts only once the application has started, its web servers included, about 5 s into
 * the process on the lab's two busy cores; the relay's bean is built about 2 s in
 * (docs/recovery.md, "Fencing while the application starts").
 *
 * <p>What is hand-written here is only the hand-over: Kafka's client has no asynchronous
 * {@code initTransactions()}, and the session must not call it twice on one producer (the client
 * refuses: the producer is already in a transaction-ready state).
 */
final class EarlyFencing {

    private final Supplier<KafkaProducer<String, byte[]>> newProducer;
    private final CompletableFuture<KafkaProducer<String, byte[]>> created = new CompletableFuture<>();
    private final CompletableFuture<Void> fenced = new CompletableFuture<>();
    private final AtomicBoolean handedOver = new AtomicBoolean();

    EarlyFencing(Supplier<KafkaProducer<String, byte[]>> newProducer) {
        this.newProducer = newProducer;
    }

    /** Makes the first producer and calls its {@code initTransactions()} on a daemon thread. */
    void start() {
        Thread thread = new Thread(() -> {
            KafkaProducer<String, byte[]> producer;
            try {
                producer = newProducer.get();
            }
            catch (RuntimeException e) {
                created.completeExceptionally(e);
                return;
            }
            created.complete(producer);
            try {
                producer.initTransactions();
                fenced.complete(null);
            }
            catch (RuntimeException e) {
                fenced.completeExceptionally(e); // thrown again in the first session, which handles it
            }
        }, "transactional-relay-fencing");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * A session's producer: the first time the one made by {@link #start()} (waiting for it to
     * exist, and throwing what making it threw), a new one after that.
     */
    KafkaProducer<String, byte[]> producer() {
        return handedOver.compareAndSet(false, true) ? join(created) : newProducer.get();
    }

    /**
     * {@code initTransactions()} for a session's producer. For the first producer the call was made
     * by {@link #start()}: waits for it to end, and throws what it threw, as the call itself would.
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
     * Closes the first producer if no session took it: the application stopped or failed to start
     * before the relay's thread ran. (A session closes the producers it took.)
     */
    void close() {
        if (handedOver.compareAndSet(false, true)) {
            created.thenAccept(producer -> producer.close(Duration.ZERO));
        }
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        }
        catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
