package dev.adclicks.observability;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;

/**
 * Every service gets the {@code kafka} health indicator and the {@code pipeline} actuator endpoint
 * by depending on this module.
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@EnableConfigurationProperties(ObservabilityProperties.class)
public class PipelineObservabilityAutoConfiguration {

    @Bean(name = "kafkaHealthIndicator")
    @ConditionalOnBean(KafkaProperties.class)
    @ConditionalOnMissingBean(name = "kafkaHealthIndicator")
    @ConditionalOnEnabledHealthIndicator("kafka")
    KafkaClusterHealthIndicator kafkaHealthIndicator(KafkaProperties kafka, ObservabilityProperties properties) {
        return new KafkaClusterHealthIndicator(kafka.buildAdminProperties(), properties.kafkaHealthTimeout());
    }

    @Bean
    @ConditionalOnBean(MeterRegistry.class)
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    PipelineEndpoint pipelineEndpoint(MeterRegistry registry, ObservabilityProperties properties,
            @Value("${spring.application.name:service}") String service,
            @Value("${HOSTNAME:localhost}:${server.port:8080}") String instance) {
        return new PipelineEndpoint(service, instance, registry, properties.meterPrefixes());
    }
}
