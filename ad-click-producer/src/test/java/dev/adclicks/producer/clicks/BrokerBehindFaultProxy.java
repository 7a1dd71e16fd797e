package dev.adclicks.producer.clicks;

import org.springframework.test.context.DynamicPropertyRegistry;

import dev.adclicks.infra.KafkaFaultProxy;
import dev.adclicks.infra.PipelineInfrastructure;

/**
 * The servers of the lost-ack tests: unlike {@link dev.adclicks.infra.RealServers} (the shared
 * broker every other test uses), a broker of their own behind a {@link KafkaFaultProxy} that can
 * drop the broker's answers to Produce requests. Started once per JVM, stopped at its exit.
 */
public final class BrokerBehindFaultProxy {

    private static PipelineInfrastructure servers;

    private BrokerBehindFaultProxy() {
    }

    public static synchronized PipelineInfrastructure servers() {
        if (servers == null) {
            PipelineInfrastructure started = PipelineInfrastructure.startLocalWithFaultProxy();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "fault-proxy-servers-shutdown"));
            servers = started;
        }
        return servers;
    }

    public static KafkaFaultProxy proxy() {
        return servers().kafkaFaultProxy().orElseThrow();
    }

    /**
     * For a test's {@code @DynamicPropertySource}: the service's Kafka clients connect through the
     * proxy, as this broker's super user (its credentials are not the shared broker's).
     */
    public static void register(DynamicPropertyRegistry registry) {
        servers().kafkaAdminConnection().springProperties().forEach((property, value) -> registry.add(property, () -> value));
    }
}
