package dev.adclicks.producer.live;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code dashboard.*}: where the live page finds the other services. In docker compose:
 * {@code DASHBOARD_RELAY_URL=http://ad-event-relay:8082}; a host name that resolves to several
 * addresses (compose {@code --scale ad-event-relay=2}) is read at every address and added up.
 *
 * @param relay the relay service and its consumer group
 * @param sink the sink service and its consumer group
 * @param timeout per request to another service, and per Kafka admin call
 * @param maxDemoClicks the most clicks one press of "send" may ask for
 */
@Validated
@ConfigurationProperties("dashboard")
public record LivePageProperties(
        @NotNull @Valid Stage relay,
        @NotNull @Valid Stage sink,
        @DefaultValue("2s") Duration timeout,
        @DefaultValue("100000") @Positive int maxDemoClicks) {

    /**
     * @param url base URL of the service (its {@code /actuator/pipeline} and, for the sink, {@code /api/stats})
     * @param group the consumer group whose lag the page shows
     */
    public record Stage(@NotNull URI url, @NotBlank String group) {
    }
}
