package dev.adclicks.dashboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import dev.adclicks.infra.KafkaConnection;
import dev.adclicks.infra.PipelineInfrastructure;
import dev.adclicks.infra.RealServers;
import dev.adclicks.infra.TopicAdmin;
import dev.adclicks.model.Topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cluster view of {@code GET /api/pipeline} on the real broker: the broker, up, at the address
 * clients reach it, and every partition of the pipeline's topics with its leader, replicas and ISR,
 * as the broker reports them. The test broker is a single node (id 1), so every partition has one
 * replica, in sync; the view's verdicts for brokers down and replicas out of sync are in
 * {@link KafkaClusterViewTest}. Same configuration as {@link DashboardWithoutServicesIT}, so the two
 * share one application context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dashboard.producer.url=http://127.0.0.3:9", "dashboard.producer.management-url=http://127.0.0.3:9",
        "dashboard.relay.management-url=http://127.0.0.1:9", "dashboard.sink.url=http://127.0.0.2:9",
        "dashboard.sink.management-url=http://127.0.0.2:9", "dashboard.timeout=1s" })
@Import(RealServers.class)
class ClusterViewIT {

    @LocalServerPort
    int port;

    DashboardApi api;

    @BeforeAll
    static void createThePipelinesTopics() {
        // as kafka-init or the services would; one replica each, as the single test broker can hold
        TopicAdmin.createIfAbsent(kafka(), Topics.declarations(Topics.ALL, (short) 1));
    }

    @BeforeEach
    void connect() {
        api = new DashboardApi(port);
    }

    @Test
    void theStatusShowsTheBrokerUpAndTheLeaderAndInSyncReplicasOfEveryPipelinePartition() {
        // as the page polls it: a fresh broker's first admin calls may take longer than dashboard.timeout
        JsonNode cluster = await().atMost(Duration.ofSeconds(30)).until(
                () -> api.get("/api/pipeline").json().path("cluster"), node -> node.isObject());

        JsonNode broker = single(cluster.path("brokers"));
        assertThat(broker.path("id").asInt()).isEqualTo(1);
        assertThat(broker.path("up").asBoolean()).isTrue();
        assertThat(broker.path("host").asString() + ":" + broker.path("port").asInt()).isEqualTo(kafka().bootstrapServers());
        assertThat(broker.path("leaderOf").asInt()).isEqualTo(Topics.ALL.size() * Topics.PARTITIONS);

        List<String> partitions = new ArrayList<>();
        for (JsonNode partition : cluster.path("partitions")) {
            String name = partition.path("topic").asString() + "-" + partition.path("partition").asInt();
            partitions.add(name);
            assertThat(partition.path("leader").asInt()).as(name).isEqualTo(1);
            assertThat(partition.path("replicas").toString()).as(name).isEqualTo("[1]");
            assertThat(partition.path("isr").toString()).as(name).isEqualTo("[1]");
            // the broker's default: the test broker sets no min.insync.replicas
            assertThat(partition.path("minIsr").asInt()).as(name).isEqualTo(1);
            assertThat(partition.path("underReplicated").asBoolean()).as(name).isFalse();
            assertThat(partition.path("belowMinIsr").asBoolean()).as(name).isFalse();
        }
        List<String> expected = new ArrayList<>();
        Topics.ALL.forEach(topic -> {
            for (int partition = 0; partition < Topics.PARTITIONS; partition++) {
                expected.add(topic + "-" + partition);
            }
        });
        assertThat(partitions).containsExactlyElementsOf(expected);
        assertThat(cluster.path("topicsNotCreated")).isEmpty();
        assertThat(cluster.path("underReplicated").asInt()).isZero();
        assertThat(cluster.path("belowMinIsr").asInt()).isZero();
        assertThat(cluster.path("withoutLeader").asInt()).isZero();
    }

    private static JsonNode single(JsonNode array) {
        assertThat(array.isArray()).as(array.toString()).isTrue();
        assertThat(array).as(array.toString()).hasSize(1);
        return array.get(0);
    }

    private static KafkaConnection kafka() {
        return PipelineInfrastructure.shared().kafkaAdminConnection();
    }
}
