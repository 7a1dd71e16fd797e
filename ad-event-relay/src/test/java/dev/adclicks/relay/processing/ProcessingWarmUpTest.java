package dev.adclicks.relay.processing;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.adclicks.relay.transaction.RelayProperties;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessingWarmUpTest {

    private final ClickProcessor processor = new ClickProcessor(
            new PricingProperties(Map.of("summer-sale", 120_000L, "winter-sale", 250_000L)), Clock.systemUTC());

    @Test
    void everyMadeUpClickTakesThePricedPathAsRealClicksDo() {
        // a warm-up whose clicks were rejected would compile the rejection's code, not the events'
        assertThat(warmUp(2_000).run()).isEqualTo(2_000);
    }

    @Test
    void noneWhenSetToZero() {
        assertThat(warmUp(0).run()).isZero();
    }

    private ProcessingWarmUp warmUp(int clicks) {
        return new ProcessingWarmUp(processor, new PricingProperties(Map.of("summer-sale", 120_000L, "winter-sale", 250_000L)),
                new RelayProperties("relay-1", "ad-event-relay", Duration.ofMillis(200), 20_000, Duration.ofSeconds(15),
                        Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofSeconds(5), (short) 1, clicks, 0, false));
    }
}
