package dev.adclicks.relay.processing;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import dev.adclicks.model.AdClick;
import dev.adclicks.model.DeadLetterHeaders;
import dev.adclicks.model.PipelineJson;
import dev.adclicks.model.Topics;
import dev.adclicks.observability.ClickJourney;
import dev.adclicks.relay.processing.ClickProcessor.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * One record of {@code ad-clicks} in, exactly one output record out: a priced event for
 * {@code ad-events}, a rejection for {@code ad-clicks-rejected}, or a dead letter for
 * {@code ad-clicks.DLT} (a record that is not a click at all). The relay sends whatever this
 * returns; how the sends and the input offsets are committed is the relay's business.
 *
 * <p>Counted in {@code relay.records{output=event|rejected|dead-lettered}} each time a record is
 * routed, so a batch that is aborted and processed again is counted again.
 */
@Component
public class ClickRouter {

    private static final Logger log = LoggerFactory.getLogger(ClickRouter.class);

    private final ClickProcessor processor;
    private final Counter relayed;
    private final Counter rejected;
    private final Counter deadLettered;

    public ClickRouter(ClickProcessor processor, MeterRegistry meters) {
        this.processor = processor;
        this.relayed = meters.counter("relay.records", "output", "event");
        this.rejected = meters.counter("relay.records", "output", "rejected");
        this.deadLettered = meters.counter("relay.records", "output", "dead-lettered");
    }

    /** The output record for one input record: event, rejection or dead letter. */
    public ProducerRecord<String, byte[]> route(ConsumerRecord<String, byte[]> record) {
        AdClick click;
        try {
            click = record.value() == null ? null : PipelineJson.read(record.value(), AdClick.class);
        }
        catch (RuntimeException unreadable) {
            return deadLetter(record, unreadable);
        }
        if (click == null) {
            return deadLetter(record, new IllegalArgumentException("record has no value"));
        }
        Outcome outcome = processor.process(click);
        if (outcome instanceof Outcome.Priced priced) {
            relayed.increment();
            ClickJourney.LOG.info("click {} priced as an event for {}", click.clickId(),
                    Topics.AD_EVENTS);
            return new ProducerRecord<>(Topics.AD_EVENTS, priced.event().adId(), PipelineJson.write(priced.event()));
        }
        Outcome.Rejected rejection = (Outcome.Rejected) outcome;
        rejected.increment();
        log.debug("Rejected click {}: {}", click.clickId(), rejection.rejection().detail());
        ClickJourney.LOG.info("click {} rejected ({})", click.clickId(),
                rejection.rejection().detail());
        return new ProducerRecord<>(Topics.AD_CLICKS_REJECTED, record.key(), PipelineJson.write(rejection.rejection()));
    }

    private ProducerRecord<String, byte[]> deadLetter(ConsumerRecord<String, byte[]> record, Exception error) {
        deadLettered.increment();
        log.warn("Dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), error.toString());
        return DeadLetterHeaders.deadLetter(Topics.AD_CLICKS_DLT, record, error);
    }
}
