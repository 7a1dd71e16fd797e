package dev.adclicks.observability;

import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.adclicks.observability.PipelineEndpoint.MeterValue;
import dev.adclicks.observability.PipelineEndpoint.PipelineMeters;

import static org.assertj.core.api.Assertions.assertThat;

class PipelineEndpointTest {

    @Test
    void showsThePipelinesMetersWithTheirTagsAndNothingElse() {
        MeterRegistry registry = new SimpleMeterRegistry();
        Counter.builder("relay.transactions").tag("outcome", "committed").register(registry).increment(3);
        Counter.builder("relay.transactions").tag("outcome", "aborted").register(registry).increment();
        Gauge.builder("kafka.consumer.fetch.manager.records.lag.max", () -> 42.0).tag("client.id", "relay")
                .register(registry);
        Gauge.builder("kafka.consumer.fetch.manager.records.lag.max", () -> Double.NaN).tag("client.id", "idle")
                .register(registry);
        Counter.builder("jvm.gc.pause").register(registry).increment(7);

        PipelineMeters meters = new PipelineEndpoint("ad-event-relay", "relay-1:8082", registry,
                new ObservabilityProperties(null, List.of("relay.", "kafka.consumer.fetch.manager.records.lag.max"))
                        .meterPrefixes()).meters();

        assertThat(meters.service()).isEqualTo("ad-event-relay");
        assertThat(meters.instance()).isEqualTo("relay-1:8082");
        assertThat(meters.meters()).containsExactlyInAnyOrder(
                new MeterValue("relay.transactions", Map.of("outcome", "committed"), 3.0),
                new MeterValue("relay.transactions", Map.of("outcome", "aborted"), 1.0),
                new MeterValue("kafka.consumer.fetch.manager.records.lag.max", Map.of("client.id", "relay"), 42.0));
    }
}
