package dev.adclicks.dashboard;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistrar;

import dev.adclicks.infra.PipelineInfrastructure;

/**
 * {@code @Import(RunningProducer.class)}: a real producer process on the shared broker (see
 * {@link ProducerProcess}), with {@code dashboard.producer.url} pointing at it. It lives as long as
 * the application context, and is stopped with it.
 */
@TestConfiguration(proxyBeanMethods = false)
class RunningProducer {

    @Bean(destroyMethod = "close")
    ProducerProcess producerProcess() {
        return ProducerProcess.start(PipelineInfrastructure.shared().kafkaAdminConnection());
    }

    @Bean
    DynamicPropertyRegistrar producerUrl(ProducerProcess producer) {
        return registry -> {
            registry.add("dashboard.producer.url", () -> producer.url().toString());
            registry.add("dashboard.producer.management-url", () -> producer.managementUrl().toString());
        };
    }
}
