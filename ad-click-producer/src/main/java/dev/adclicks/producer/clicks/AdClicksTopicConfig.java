package dev.adclicks.producer.clicks;

import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

import dev.adclicks.model.Topics;

/**
 * Creates {@code ad-clicks} at startup when it is missing (Boot's {@code KafkaAdmin} picks up every
 * {@link NewTopic} bean; an existing topic is left as it is). The partition count fixes how far the
 * relay can scale out: one consumer per partition.
 */
@Configuration(proxyBeanMethods = false)
class AdClicksTopicConfig {

    @Bean
    NewTopic adClicksTopic(ClicksProperties clicks) {
        return TopicBuilder.name(Topics.AD_CLICKS)
                .partitions(clicks.topic().partitions())
                .replicas(clicks.topic().replicas())
                .build();
    }
}
