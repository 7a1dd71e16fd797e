package dev.adclicks.sink.ingest;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

import dev.adclicks.sink.SinkProperties;

import static org.assertj.core.api.Assertions.assertThat;

class ReaderWarmUpTest {

    @Test
    void everyMadeUpEventIsReadAsARealOneIs() {
        // an event the reader refused would warm the dead-letter path's code, not the reading's
        assertThat(warmUp(2_000).run()).isEqualTo(2_000);
    }

    @Test
    void startsBeforeTheListenerContainersDo() {
        // lower phases start first: the warm-up is over before the first poll
        assertThat(warmUp(1).getPhase()).isLessThan(new KafkaListenerEndpointRegistry().getPhase());
    }

    private static ReaderWarmUp warmUp(int events) {
        return new ReaderWarmUp(new AdEventReader(), new SinkProperties(new SinkProperties.Topic((short) 1),
                new SinkProperties.Retry(Duration.ofMillis(500), 2.0, Duration.ofSeconds(2)), Duration.ofSeconds(10), 500,
                events, 0));
    }
}
