package dev.adclicks.lab.compose;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.adclicks.infra.KafkaCommandLineTools;
import dev.adclicks.infra.KafkaConnection;
import dev.adclicks.infra.KafkaCredentials;
import dev.adclicks.infra.LocalKafkaCluster;
import dev.adclicks.lab.KafkaAccess;
import dev.adclicks.model.Topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * docker-compose.yml's kafka-init, without Docker: its script ({@code docker/kafka/kafka-init.sh})
 * runs, twice, with the environment compose gives the kafka-init container, against one local
 * authenticated broker, Kafka's own tools standing in for the image's ({@link KafkaCommandLineTools}).
 * Four of its variables are replaced, and must be in the compose file: the bootstrap list and the
 * admin's password (the local broker's own), the topics' replication factor and
 * {@code min.insync.replicas} (1 on one broker). What the script leaves on the broker must be what
 * the lab provisions ({@link KafkaAccess}), which the lab's security tests prove least, and what
 * {@link DockerComposeWiringIT} starts the services on: the same ACLs, and users whose passwords are
 * those the services' compose environment gives them.
 */
class KafkaInitScriptIT {

    static final Path SCRIPT = ComposeFile.PATH.toAbsolutePath().getParent().resolve("docker/kafka/kafka-init.sh");

    static LocalKafkaCluster kafka;
    static ComposeFile compose;

    @BeforeAll
    static void runTheScriptTwice() throws Exception {
        compose = ComposeFile.read();
        Path dir = Files.createDirectories(Path.of("target", "kafka-init-script")).toAbsolutePath();
        kafka = LocalKafkaCluster.single(dir, false); // its files in a directory of their own under dir, deleted on close
        Map<String, String> environment = new java.util.LinkedHashMap<>(compose.environment("kafka-init"));
        Map<String, String> overrides = Map.of(
                "BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "CLUSTER_ADMIN_PASSWORD", kafka.adminConnection().credentials().orElseThrow().password(),
                "TOPIC_REPLICATION_FACTOR", "1",
                "TOPIC_MIN_INSYNC_REPLICAS", "1");
        overrides.forEach((name, value) -> {
            if (environment.replace(name, value) == null) {
                throw new IllegalStateException("docker-compose.yml gives kafka-init no " + name);
            }
        });
        environment.put("KAFKA_BIN", KafkaCommandLineTools.writeTo(dir.resolve("bin")).toString());
        // the second run finds everything in place: the script is idempotent, as `up` reruns it
        for (int run = 1; run <= 2; run++) {
            Path log = dir.resolve("run-" + run + ".log");
            ProcessBuilder builder = new ProcessBuilder("/bin/sh", SCRIPT.toString()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("kafka-init.sh finished").isTrue();
            assertThat(process.exitValue()).as("kafka-init.sh, run %d, exit code; its output:%n%s", run,
                    Files.readString(log, StandardCharsets.UTF_8)).isZero();
        }
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void itCreatesThePipelinesTopicsWithTheirPartitions() throws Exception {
        try (Admin admin = Admin.create(kafka.adminConnection().clientProperties())) {
            Map<String, TopicDescription> topics = admin.describeTopics(Topics.ALL).allTopicNames().get(30, TimeUnit.SECONDS);
            Map<ConfigResource, Config> configs = admin.describeConfigs(Topics.ALL.stream()
                    .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList()).all().get(30, TimeUnit.SECONDS);
            for (String topic : Topics.ALL) {
                assertThat(topics.get(topic).partitions()).as(topic).hasSize(Topics.PARTITIONS);
                assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic))
                        .get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value()).as(topic).isEqualTo("1");
            }
        }
    }

    @Test
    void itGrantsExactlyTheLabsAclsNothingMoreNothingLess() throws Exception {
        try (Admin admin = Admin.create(kafka.adminConnection().clientProperties())) {
            Set<AclBinding> granted = new HashSet<>(admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS));
            assertThat(granted).containsExactlyInAnyOrderElementsOf(KafkaAccess.acls());
        }
    }

    @Test
    void eachServiceAuthenticatesWithThePasswordItsComposeEnvironmentGivesIt() throws Exception {
        for (String service : List.of("ad-click-producer", "ad-event-relay", "ad-event-sink", "ad-event-sink-2",
                "pipeline-dashboard")) {
            KafkaCredentials credentials = compose.kafkaCredentials(service);
            assertThat(KafkaAccess.PRINCIPALS).as(service).contains(credentials.username());
            try (Admin admin = Admin.create(KafkaConnection.authenticated(kafka.bootstrapServers(), credentials)
                    .clientProperties())) {
                assertThat(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS)).as(service).isNotBlank();
            }
        }
        // and a wrong password is refused, so the above proves the passwords
        KafkaCredentials wrong = new KafkaCredentials(KafkaAccess.RELAY, "not-" + compose.kafkaCredentials("ad-event-relay").password());
        try (Admin admin = Admin.create(KafkaConnection.authenticated(kafka.bootstrapServers(), wrong).clientProperties())) {
            assertThatThrownBy(() -> admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }
}
