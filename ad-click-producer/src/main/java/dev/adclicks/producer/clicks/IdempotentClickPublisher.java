package dev.adclicks.producer.clicks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

import dev.adclicks.model.AdClick;
import dev.adclicks.model.Topics;
import dev.adclicks.observability.ClickJourney;
import dev.adclicks.observability.KafkaObservations;

/**
 * Writes clicks to {@code ad-clicks}, keyed by adId, with the producer of
 * {@link IdempotentProducerConfig}, and reports a click as published only once the broker has
 * acknowledged it ({@code acks=all}).
 *
 * <p>Every click ends in one of two answers. Acknowledged: it is in the log exactly once, at the
 * returned partition and offset. Not acknowledged (timeout, broker error): it may or may not be in
 * the log, so the caller must treat it as unknown and retry with the same clickId; the sink drops
 * the duplicate by clickId.
 *
 * <p>Tracing: every record carries the HTTP request's trace in a W3C {@code traceparent} header,
 * which the relay and the sink continue. It is read once per request and added to each record. A
 * span of its own per record (the template's observation) was a third of this service's profile
 * under load (docs/performance.md), so each send is observed only while the click-journey log is
 * on, as in the relay.
 */
@Component
public class IdempotentClickPublisher {

    private static final Logger log = LoggerFactory.getLogger(IdempotentClickPublisher.class);

    private final KafkaTemplate<String, AdClick> kafkaTemplate;
    private final Duration ackTimeout;
    private final ClickMetrics metrics;
    private final Tracer tracer;
    private final Propagator propagator;
    private final ObservationRegistry observations;

    IdempotentClickPublisher(KafkaTemplate<String, AdClick> clickKafkaTemplate, ClicksProperties clicks,
            ClickMetrics metrics, ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator,
            ObjectProvider<ObservationRegistry> observations) {
        this.kafkaTemplate = clickKafkaTemplate;
        this.ackTimeout = clicks.ackTimeout();
        this.metrics = metrics;
        this.tracer = tracer.getIfAvailable(() -> Tracer.NOOP);
        this.propagator = propagator.getIfAvailable(() -> Propagator.NOOP);
        this.observations = observations.getIfAvailable(() -> ObservationRegistry.NOOP);
    }

    /**
     * Sends one click and waits for its acknowledgement.
     *
     * @throws ClickNotAcknowledgedException when the broker did not acknowledge it within the ack timeout
     */
    public PublishedClick publish(AdClick click) {
        long deadline = System.nanoTime() + ackTimeout.toNanos();
        Outcome outcome = awaitAck(click, send(click, traceContext()), deadline);
        if (outcome instanceof Outcome.Acked acked) {
            metrics.accepted(1);
            journey(acked.click());
            return acked.click();
        }
        Outcome.Failed failed = (Outcome.Failed) outcome;
        metrics.failed(failed.reason(), 1);
        log.warn("Click {} (adId {}) not acknowledged: {} ({}); the client may retry with the same clickId",
                click.clickId(), click.adId(), failed.reason().tag(), describe(failed.cause()));
        throw new ClickNotAcknowledgedException(click.clickId(), failed.reason(), ackTimeout, failed.cause());
    }

    /**
     * Sends all clicks (the producer batches them), then waits for every acknowledgement against
     * one shared deadline. Clicks are sent in order, so clicks of one ad keep their order.
     */
    public BatchOutcome publishAll(List<AdClick> clicks) {
        long deadline = System.nanoTime() + ackTimeout.toNanos();
        List<CompletableFuture<SendResult<String, AdClick>>> acks = new ArrayList<>(clicks.size());
        List<Header> trace = traceContext();
        boolean kafkaUnreachable = false;
        for (AdClick click : clicks) {
            if (kafkaUnreachable) {
                acks.add(CompletableFuture.failedFuture(new ClickNotSentException()));
                continue;
            }
            CompletableFuture<SendResult<String, AdClick>> ack = send(click, trace);
            // A future that already failed when send() returned means send() itself gave up, typically
            // after blocking max.block.ms for metadata of an unreachable broker: spending max.block.ms
            // again on each remaining click would hold the request for minutes.
            kafkaUnreachable = ack.isCompletedExceptionally();
            acks.add(ack);
        }

        List<PublishedClick> accepted = new ArrayList<>(clicks.size());
        List<UUID> failed = new ArrayList<>();
        Map<String, Integer> failuresByReason = new TreeMap<>();
        Throwable firstFailure = null;
        for (int i = 0; i < clicks.size(); i++) {
            Outcome outcome = awaitAck(clicks.get(i), acks.get(i), deadline);
            if (outcome instanceof Outcome.Acked acked) {
                accepted.add(acked.click());
                journey(acked.click());
            }
            else if (outcome instanceof Outcome.Failed failure) {
                failed.add(clicks.get(i).clickId());
                metrics.failed(failure.reason(), 1);
                failuresByReason.merge(failure.reason().tag(), 1, Integer::sum);
                firstFailure = firstFailure != null ? firstFailure : failure.cause();
            }
        }
        metrics.accepted(accepted.size());
        if (failed.isEmpty()) {
            log.info("Batch of {} clicks acknowledged", clicks.size());
        }
        else {
            log.warn("Batch of {} clicks: {} acknowledged, {} not acknowledged {} (first: {}); "
                            + "the client may retry those with the same clickIds",
                    clicks.size(), accepted.size(), failed.size(), failuresByReason, describe(firstFailure));
        }
        return new BatchOutcome(accepted, failed, failuresByReason);
    }

    /** The first line of a click's journey, with the request's trace id (see {@link ClickJourney}). */
    private static void journey(PublishedClick click) {
        ClickJourney.LOG.info("click {} accepted: {}-{}@{}", click.clickId(), click.topic(), click.partition(),
                click.offset());
    }

    /**
     * The request's trace context as record headers, once for all its clicks; none while the
     * click-journey log is on, when each send's own observation writes them.
     */
    private List<Header> traceContext() {
        return ClickJourney.LOG.isInfoEnabled() ? List.of() : KafkaObservations.currentTraceContext(tracer, propagator);
    }

    private CompletableFuture<SendResult<String, AdClick>> send(AdClick click, List<Header> trace) {
        try {
            ProducerRecord<String, AdClick> record = new ProducerRecord<>(Topics.AD_CLICKS, null, click.adId(), click,
                    trace);
            if (!ClickJourney.LOG.isInfoEnabled()) {
                return kafkaTemplate.send(record);
            }
            // a span per record, a child of the request's, whose traceparent the observation writes
            return KafkaObservations.send(record, "ad-click-producer", observations)
                    .observe(() -> kafkaTemplate.send(record));
        }
        catch (RuntimeException e) {
            // KafkaTemplate can also throw instead of failing the future (e.g. the producer cannot be
            // created); either way the click was not acknowledged
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Waits until {@code deadlineNanos} (a {@link System#nanoTime()} value) for one acknowledgement.
     * Package-private for the unit test of every branch.
     */
    static Outcome awaitAck(AdClick click, CompletableFuture<SendResult<String, AdClick>> ack, long deadlineNanos) {
        try {
            long remaining = Math.max(0, deadlineNanos - System.nanoTime());
            RecordMetadata metadata = ack.get(remaining, TimeUnit.NANOSECONDS).getRecordMetadata();
            return new Outcome.Acked(new PublishedClick(click.clickId(), metadata.topic(), metadata.partition(),
                    metadata.offset()));
        }
        catch (TimeoutException e) {
            // Still pending: the producer keeps retrying until delivery.timeout.ms, so it may yet be
            // written. Unknown to the client, which is why it retries with the same clickId.
            return new Outcome.Failed(FailureReason.ACK_TIMEOUT, e);
        }
        catch (ExecutionException e) {
            return new Outcome.Failed(classify(e.getCause()), e.getCause());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.Failed(FailureReason.INTERRUPTED, e);
        }
    }

    private static FailureReason classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ClickNotSentException) {
                return FailureReason.NOT_SENT;
            }
            if (t instanceof org.apache.kafka.common.errors.TimeoutException) {
                return FailureReason.KAFKA_TIMEOUT;
            }
        }
        return FailureReason.KAFKA_ERROR;
    }

    private static String describe(Throwable failure) {
        if (failure == null) {
            return "none";
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** What became of one send. */
    sealed interface Outcome {

        record Acked(PublishedClick click) implements Outcome {
        }

        record Failed(FailureReason reason, Throwable cause) implements Outcome {
        }
    }

    /** Stands for a click of a batch that was never handed to the producer. */
    private static final class ClickNotSentException extends RuntimeException {

        ClickNotSentException() {
            super("not sent: an earlier click of the batch found Kafka unreachable", null, false, false);
        }
    }
}
