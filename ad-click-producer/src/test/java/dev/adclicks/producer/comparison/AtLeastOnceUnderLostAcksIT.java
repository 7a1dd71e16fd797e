package dev.adclicks.producer.comparison;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.adclicks.producer.clicks.BrokerBehindFaultProxy;
import dev.adclicks.producer.clicks.LostAcksIT;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The damage guard 1 prevents, shown by the service itself: the same clicks and the same lost acks
 * as {@link LostAcksIT}, with the producer in the comparison profile {@code at-least-once}
 * (no idempotence, {@code acks=1}, retries on). Every resend after a lost ack is appended again:
 * 200 clicks, 203 records.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("at-least-once")
class AtLeastOnceUnderLostAcksIT {

    @DynamicPropertySource
    static void brokerBehindTheProxy(DynamicPropertyRegistry registry) {
        BrokerBehindFaultProxy.register(registry);
    }

    @LocalServerPort
    int port;

    @Test
    void withoutIdempotenceEveryLostAckAppendsTheResentClickTwice() {
        Map<UUID, Long> recordsPerClick = LostAcksIT.postClicksLosingAcks(port, "at-least-once");

        assertThat(recordsPerClick).hasSize(LostAcksIT.CLICKS);
        assertThat(recordsPerClick.values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(LostAcksIT.CLICKS + LostAcksIT.LOST_ACKS);
        // a resend can lose its ack too: the three extra records may belong to one, two or three clicks
        assertThat(recordsPerClick.values()).anyMatch(count -> count > 1);
    }
}
