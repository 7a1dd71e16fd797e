package dev.adclicks.infra;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistrar;

/**
 * The one way an integration test gets real servers: {@code @Import(RealServers.class)} on a
 * {@code @SpringBootTest} points Spring's Kafka properties (the bootstrap servers and the super
 * user's SASL/SCRAM credentials) and {@code spring.datasource.*} at the JVM's shared
 * {@link PipelineInfrastructure} (a real Kafka broker
 * and a real MySQL-compatible database, started on first use; Docker or local, see {@link Backend}).
 * Tests that share these properties share one application context.
 */
@TestConfiguration(proxyBeanMethods = false)
public class RealServers {

    @Bean
    DynamicPropertyRegistrar realServerProperties() {
        return registry -> PipelineInfrastructure.shared().springProperties()
                .forEach((name, value) -> registry.add(name, () -> value));
    }
}
