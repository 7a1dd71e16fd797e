package dev.adclicks.dashboard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

import dev.adclicks.dashboard.PipelineStatus.Durable;
import dev.adclicks.dashboard.PipelineStatus.Guard;
import dev.adclicks.dashboard.PipelineStatus.Lag;
import dev.adclicks.dashboard.ServiceMetersClient.Readings;
import dev.adclicks.model.Topics;

/**
 * Puts the dashboard's numbers together: the meters of every producer, relay and sink instance,
 * Kafka's offsets and the state of its cluster, and the sink's MySQL counts. A service that does not
 * answer is named in {@link PipelineStatus#unreachable()}; the rest is still reported.
 */
@Service
class PipelineStatusService {

    private static final Logger log = LoggerFactory.getLogger(PipelineStatusService.class);
    private static final String RETRIES = "kafka.producer.record.retry.total";

    private final ServiceMetersClient services;
    private final KafkaProgress kafka;
    private final KafkaClusterView cluster;
    private final DashboardProperties properties;

    PipelineStatusService(ServiceMetersClient services, KafkaProgress kafka, KafkaClusterView cluster,
            DashboardProperties properties) {
        this.services = services;
        this.kafka = kafka;
        this.cluster = cluster;
        this.properties = properties;
    }

    PipelineStatus status() {
        Readings producers = services.read(properties.producer().managementUrl());
        Readings relays = services.read(properties.relay().managementUrl());
        Readings sinks = services.read(properties.sink().managementUrl());
        Map<String, Object> sinkStats = properties.sink().url() == null ? Map.of()
                : services.getJson(properties.sink().url(), "/api/stats");

        PipelineStatus.Producer producer = new PipelineStatus.Producer(producers.instances().size(),
                (long) producers.sum("clicks.accepted"), (long) producers.sum("clicks.failed"),
                (long) producers.sum(RETRIES));
        PipelineStatus.Relay relay = new PipelineStatus.Relay(relays.instances().size(),
                (long) relays.sum("relay.transactions", "outcome", "committed"),
                (long) relays.sum("relay.transactions", "outcome", "aborted"),
                (long) relays.sum("relay.committed.records", "topic", Topics.AD_EVENTS),
                (long) relays.sum("relay.committed.records", "topic", Topics.AD_CLICKS_REJECTED),
                (long) relays.sum("relay.committed.records", "topic", Topics.AD_CLICKS_DLT),
                (long) relays.sum("relay.aborted.records"));
        PipelineStatus.Sink sink = new PipelineStatus.Sink(sinks.instances().size(),
                (long) sinks.sum("sink.events.inserted"), (long) sinks.sum("sink.events.duplicates"),
                (long) sinks.sum("sink.events.dead-lettered"), (long) sinks.sum("sink.batches.failed-attempts"));
        Durable durable = new Durable(
                orNull("end of " + Topics.AD_CLICKS, () -> kafka.endOffset(Topics.AD_CLICKS)),
                orNull("end of " + Topics.AD_EVENTS, () -> kafka.endOffset(Topics.AD_EVENTS)),
                asLong(sinkStats.get("eventsStored")), asLong(sinkStats.get("totalClicks")));
        Lag lag = new Lag(
                orNull("relay lag", () -> kafka.lag(properties.relay().group(), Topics.AD_CLICKS)),
                orNull("sink lag", () -> kafka.lag(properties.sink().group(), Topics.AD_EVENTS)));

        List<Guard> guards = List.of(
                new Guard("1. idempotent producer", "ad-click-producer, ad-event-relay",
                        producer.retries() + (long) relays.sum(RETRIES),
                        "batches re-sent after a lost or late ack; the broker appended each once (PID + sequence number)"),
                new Guard("2. transactions", "ad-event-relay", relay.abortedRecords(),
                        "outputs of aborted transactions: in the log, never read downstream (read_committed); "
                                + "their input was processed again"),
                new Guard("3. unique key", "ad-event-sink", sink.duplicatesAbsorbed(),
                        "events delivered again (a redelivery, or a click its client re-sent): found stored by "
                                + "click_id and skipped (UNIQUE(click_id) the backstop); counters untouched"));

        List<String> unreachable = new ArrayList<>(producers.unreachable());
        unreachable.addAll(relays.unreachable());
        unreachable.addAll(sinks.unreachable());
        return new PipelineStatus(Instant.now(), producer, relay, sink, durable, lag,
                orNull("cluster", cluster::read), guards, unreachable);
    }

    private static <T> T orNull(String what, Callable<T> read) {
        try {
            return read.call();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        catch (Exception e) {
            log.debug("{} unknown: {}", what, e.toString());
            return null;
        }
    }

    private static Long asLong(Object value) {
        return value instanceof Number number ? number.longValue() : null;
    }
}
