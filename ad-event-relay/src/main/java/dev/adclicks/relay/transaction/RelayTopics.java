package dev.adclicks.relay.transaction;

import java.util.List;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

import dev.adclicks.model.Topics;

/**
 * The topics the relay reads and writes, as {@link Topics} declares them, created at start-up when
 * absent (by Spring's KafkaAdmin).
 */
@Configuration(proxyBeanMethods = false)
class RelayTopics {

    @Bean
    KafkaAdmin.NewTopics relayTopicDeclarations(RelayProperties relay) {
        List<NewTopic> topics = Topics.declarations(
                List.of(Topics.AD_CLICKS, Topics.AD_EVENTS, Topics.AD_CLICKS_REJECTED, Topics.AD_CLICKS_DLT,
                        Topics.RELAY_WARM_UP),
                relay.replicationFactor());
        return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
    }
}
