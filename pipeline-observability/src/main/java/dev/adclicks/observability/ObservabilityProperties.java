package dev.adclicks.observability;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code pipeline.observability.*}.
 *
 * @param kafkaHealthTimeout how long the Kafka health check waits for the cluster to answer
 * @param meterPrefixes the meters {@code /actuator/pipeline} shows
 */
@ConfigurationProperties("pipeline.observability")
public record ObservabilityProperties(
        @DefaultValue("3s") Duration kafkaHealthTimeout,
        @DefaultValue({ "clicks.", "relay.", "sink.", "kafka.producer.record.retry.total",
                "kafka.producer.record.error.total", "kafka.consumer.fetch.manager.records.lag.max" }) List<String> meterPrefixes) {
}
