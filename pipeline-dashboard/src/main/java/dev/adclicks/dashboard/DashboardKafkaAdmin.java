package dev.adclicks.dashboard;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The dashboard's one Kafka client, an {@link Admin} on {@code spring.kafka.*}, shared by
 * {@link KafkaProgress} (offsets, lag) and {@link KafkaClusterView} (brokers, leaders, ISR). Every
 * call it makes gives up after {@code dashboard.timeout}: a broker that is down costs the page at most
 * that, never a hang.
 */
@Configuration(proxyBeanMethods = false)
class DashboardKafkaAdmin {

    @Bean(destroyMethod = "close")
    Admin dashboardAdmin(KafkaAdmin kafkaAdmin, DashboardProperties properties) {
        Map<String, Object> config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "dashboard");
        int timeoutMillis = Math.toIntExact(properties.timeout().toMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMillis);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMillis);
        return Admin.create(config);
    }
}
