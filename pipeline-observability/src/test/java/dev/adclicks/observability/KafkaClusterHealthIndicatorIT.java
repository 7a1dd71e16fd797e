package dev.adclicks.observability;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import dev.adclicks.infra.FreePorts;
import dev.adclicks.infra.PipelineInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaClusterHealthIndicatorIT {

    @Test
    void upWithTheClusterIdWhenTheBrokerAnswers() {
        PipelineInfrastructure infra = PipelineInfrastructure.shared();
        KafkaClusterHealthIndicator indicator = new KafkaClusterHealthIndicator(
                infra.kafkaAdminConnection().clientProperties(), Duration.ofSeconds(5));
        try {
            Health health = indicator.health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("nodes", 1).containsKey("clusterId");
        }
        finally {
            indicator.destroy();
        }
    }

    @Test
    void downWhenNoBrokerAnswersWithinTheTimeout() {
        KafkaClusterHealthIndicator indicator = new KafkaClusterHealthIndicator(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + FreePorts.next()), Duration.ofSeconds(1));
        try {
            Health health = indicator.health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsKey("error");
        }
        finally {
            indicator.destroy();
        }
    }
}
