package dev.adclicks.producer.clicks;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.context.annotation.Import;

import dev.adclicks.infra.PipelineInfrastructure;
import dev.adclicks.infra.RealServers;
import dev.adclicks.model.AdClick;

/**
 * What every integration test of the running producer service needs: the real broker
 * ({@link RealServers}), the HTTP API on the random port, a reader of {@code ad-clicks}, and the
 * producer's effective settings.
 * Subclasses carry their own {@code @SpringBootTest} (properties, profiles).
 */
@Import(RealServers.class)
public abstract class RunningProducerService {

    @LocalServerPort
    protected int port;

    /** Actuator's own port (management.server.port): nothing of it answers on the public one. */
    @LocalManagementPort
    protected int managementPort;

    @Autowired
    protected DefaultKafkaProducerFactory<String, AdClick> producerFactory;

    @Autowired
    protected ClicksProperties clicks;

    protected ClickApi api;
    /** The service's actuator. */
    protected ClickApi management;
    protected AdClicksTopic topic;

    @BeforeEach
    void connect() {
        api = new ClickApi(port);
        management = new ClickApi(managementPort);
        topic = new AdClicksTopic(PipelineInfrastructure.shared().kafkaAdminConnection());
    }

    @AfterEach
    void disconnect() {
        topic.close();
    }

    /**
     * The configuration a KafkaProducer of this factory parses: the JSON serializer is handed over
     * as an instance, and KafkaProducer adds its class to the config the same way before parsing.
     */
    protected ProducerConfig effectiveConfig() {
        Map<String, Object> configs = new HashMap<>(producerFactory.getConfigurationProperties());
        configs.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, producerFactory.getValueSerializer().getClass());
        return new ProducerConfig(configs);
    }
}
