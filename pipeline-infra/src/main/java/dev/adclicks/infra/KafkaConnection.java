package dev.adclicks.infra;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * Where a Kafka client connects and as whom: the bootstrap servers and, on a cluster with
 * authentication, the SASL/SCRAM-SHA-512 credentials of one principal (the listener is
 * {@code SASL_PLAINTEXT}: authentication without TLS, see docs/failure-windows.md).
 */
public record KafkaConnection(String bootstrapServers, Optional<KafkaCredentials> credentials) {

    /**
     * An unauthenticated connection: a client without credentials (refused by every broker of the
     * project but the benchmark's plaintext baseline).
     */
    public static KafkaConnection plaintext(String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, Optional.empty());
    }

    public static KafkaConnection authenticated(String bootstrapServers, KafkaCredentials credentials) {
        return new KafkaConnection(bootstrapServers, Optional.of(credentials));
    }

    /** The same servers as another principal. */
    public KafkaConnection as(KafkaCredentials other) {
        return authenticated(bootstrapServers, other);
    }

    /** The properties of a plain Kafka client (producer, consumer, admin): a new, mutable map. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.putAll(securityProperties());
        return properties;
    }

    /** The same as {@link #clientProperties()} plus {@code extra}. */
    public Map<String, Object> clientProperties(Map<String, ?> extra) {
        Map<String, Object> properties = clientProperties();
        properties.putAll(extra);
        return properties;
    }

    /** Only the security settings (none without credentials). */
    public Map<String, String> securityProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        credentials.ifPresent(c -> {
            properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
            properties.put(SaslConfigs.SASL_MECHANISM, KafkaCredentials.MECHANISM);
            properties.put(SaslConfigs.SASL_JAAS_CONFIG, c.jaasConfig());
        });
        return properties;
    }

    /** The Spring Boot properties that point a service's every Kafka client here, as this principal. */
    public Map<String, String> springProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.kafka.bootstrap-servers", bootstrapServers);
        credentials.ifPresent(c -> {
            properties.put("spring.kafka.security.protocol", "SASL_PLAINTEXT");
            properties.put("spring.kafka.properties.sasl.mechanism", KafkaCredentials.MECHANISM);
            properties.put("spring.kafka.properties.sasl.jaas.config", c.jaasConfig());
        });
        return properties;
    }
}
