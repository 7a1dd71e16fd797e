package dev.adclicks.relay.processing;

import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import dev.adclicks.observability.ClickJourney;
import dev.adclicks.observability.KafkaObservations;
import dev.adclicks.relay.transaction.RelayProperties;
import io.micrometer.observation.ObservationRegistry;

/**
 * The relay's work per record, the same in every delivery mode: route the record
 * ({@link ClickRouter}) and hand its output to the mode's send, continuing the click's trace. The
 * exactly-once relay sends inside its transaction, the comparison lab's weaker modes with a plain
 * producer; what differs between the modes is that producer (transactional and idempotent with
 * {@code acks=all}, or plain with {@code acks=1} / {@code acks=0}) and what happens around the loop
 * (the commit), so the benchmark's race between them compares the delivery guarantee, not the
 * work per record.
 *
 * <p>With the click-journey log on, each record is a traced hop of its own: the input's
 * {@code traceparent} becomes the current trace (the journey line carries its id) and the output
 * gets a child span's {@code traceparent}. Otherwise the output carries the input's trace context as
 * it came: the same trace id downstream, without two observations per record, which cost the relay
 * about half its throughput (docs/performance.md).
 */
@Component
public class RelayStep {

    private static final String SERVICE = "ad-event-relay";

    private final ClickRouter router;
    private final String groupId;
    private final ObservationRegistry observations;

    public RelayStep(ClickRouter router, RelayProperties relay, ObjectProvider<ObservationRegistry> observations) {
        this.router = router;
        this.groupId = relay.groupId();
        this.observations = observations.getIfAvailable(() -> ObservationRegistry.NOOP);
    }

    /**
     * Routes {@code record} and passes its output (event, rejection or dead letter) to {@code send},
     * whose result it returns. Create {@code send} once (the relays do, per session), not per record:
     * this runs on the relay's hot path.
     */
    public <T> T relay(ConsumerRecord<String, byte[]> record, Function<ProducerRecord<String, byte[]>, T> send) {
        if (!ClickJourney.LOG.isInfoEnabled()) {
            ProducerRecord<String, byte[]> output = router.route(record);
            KafkaObservations.copyTraceContext(record, output);
            return send.apply(output);
        }
        return KafkaObservations.receive(record, SERVICE, groupId, observations).observe(() -> {
            ProducerRecord<String, byte[]> output = router.route(record);
            return KafkaObservations.send(output, SERVICE, observations).observe(() -> send.apply(output));
        });
    }
}
