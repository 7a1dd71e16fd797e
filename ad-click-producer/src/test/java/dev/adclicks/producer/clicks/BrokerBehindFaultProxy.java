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

    /** For a test's {@code @DynamicPropertySource}: the service's Kafka clients connect through the proxy. */
    public static void register(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> servers().kafkaBootstrapServers());
    }
}
