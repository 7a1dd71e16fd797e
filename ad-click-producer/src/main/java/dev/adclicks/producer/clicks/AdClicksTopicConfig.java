package dev.adclicks.producer.clicks;

import java.util.List;

import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.adclicks.model.Topics;

/**
 * Creates {@code ad-clicks} at startup when it is missing (Boot's {@code KafkaAdmin} picks up every
 * {@link NewTopic} bean; an existing topic is left as it is), as {@link Topics} declares it.
 */
@Configuration(proxyBeanMethods = false)
class AdClicksTopicConfig {

    @Bean
    NewTopic adClicksTopic(ClicksProperties clicks) {
        return Topics.declarations(List.of(Topics.AD_CLICKS), clicks.topic().replicationFactor()).get(0);
    }
}
