package dev.adclicks.producer.clicks;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

class ClicksPropertiesTest {

    @Test
    void producerMustGiveUpBeforeTheRequestStopsWaiting() {
        assertThatNoException().isThrownBy(() -> properties(Duration.ofSeconds(10), Duration.ofSeconds(2),
                Duration.ofSeconds(7), Duration.ofSeconds(5)));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> properties(Duration.ofSeconds(9), Duration.ofSeconds(2), Duration.ofSeconds(7),
                        Duration.ofSeconds(5)))
                .withMessageContaining("clicks.ack-timeout");
    }

    @Test
    void requestTimeoutMustFitInTheDeliveryTimeout() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> properties(Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofSeconds(7),
                        Duration.ofSeconds(7)))
                .withMessageContaining("clicks.producer.request-timeout");
    }

    private static ClicksProperties properties(Duration ackTimeout, Duration maxBlock, Duration deliveryTimeout,
            Duration requestTimeout) {
        return new ClicksProperties(ackTimeout, DataSize.ofMegabytes(1), 1000, new ClicksProperties.Topic((short) 1),
                new ClicksProperties.Producer(maxBlock, deliveryTimeout, requestTimeout));
    }
}
