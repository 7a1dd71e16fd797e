package dev.adclicks.relay.transaction;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

import dev.adclicks.model.Topics;

/** The topics the relay reads and writes, created at start-up when absent (by Spring's KafkaAdmin). */
@Configuration(proxyBeanMethods = false)
class RelayTopics {

    @Bean
    KafkaAdmin.NewTopics relayTopicDeclarations(RelayProperties relay) {
        return new KafkaAdmin.NewTopics(
                topic(Topics.AD_CLICKS, relay), topic(Topics.AD_EVENTS, relay),
                topic(Topics.AD_CLICKS_REJECTED, relay), topic(Topics.AD_CLICKS_DLT, relay));
    }

    private static NewTopic topic(String name, RelayProperties relay) {
        return TopicBuilder.name(name).partitions(relay.partitions()).replicas(1).build();
    }
}
