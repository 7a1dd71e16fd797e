package dev.adclicks.dashboard;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code dashboard.*}: where the dashboard finds the services: each one's public URL (its API) and
 * its management URL (its actuator, on a port of its own). In docker compose:
 * {@code DASHBOARD_RELAY_MANAGEMENTURL=http://ad-event-relay:9082}; a host name that resolves to
 * several addresses (compose {@code --scale ad-event-relay=2}) is read at every address and added up.
 *
 * @param producer the producer service, which the demo button sends its clicks to
 * @param relay the relay service and its consumer group
 * @param sink the sink service and its consumer group
 * @param timeout per request for a service's readings, per Kafka admin call (the cluster view's
 *        three calls share one), and to connect to the producer for the demo clicks
 * @param maxDemoClicks the most clicks one press of "send" may ask for
 */
@Validated
@ConfigurationProperties("dashboard")
public record DashboardProperties(
        @NotNull @Valid Producer producer,
        @NotNull @Valid Stage relay,
        @NotNull @Valid Stage sink,
        @DefaultValue("2s") Duration timeout,
        @DefaultValue("100000") @Positive int maxDemoClicks) {

    /**
     * @param url base URL of the producer's API: {@code POST /api/clicks/batch} for the demo clicks
     * @param managementUrl base URL of its actuator: {@code /actuator/pipeline}
     * @param batchSize clicks per {@code POST /api/clicks/batch}; at most the producer's
     *        {@code clicks.max-batch-size}, or the producer rejects the batch (400)
     * @param sendTimeout how long one batch may take to be answered; longer than the producer's
     *        {@code clicks.ack-timeout}, so that the producer's own answer (202, or 503 with what
     *        Kafka did acknowledge) arrives
     */
    public record Producer(@NotNull URI url, @NotNull URI managementUrl, @DefaultValue("1000") @Positive int batchSize,
            @DefaultValue("15s") Duration sendTimeout) {
    }

    /**
     * @param url base URL of the service's API, if it has one (the sink: {@code /api/stats}; the
     *        relay has none)
     * @param managementUrl base URL of its actuator: {@code /actuator/pipeline}
     * @param group the consumer group whose lag the page shows
     */
    public record Stage(@Nullable URI url, @NotNull URI managementUrl, @NotBlank String group) {
    }
}
