package dev.adclicks.infra;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.testcontainers.containers.Container;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.mysql.MySQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Docker backend: Testcontainers' {@link KafkaContainer} (apache/kafka, single-node KRaft
 * with replication factor 1 for the transaction log already set) and {@link MySQLContainer}.
 * Outages pause the container: clients see a server that stops answering.
 *
 * <p>Kafka authenticates and authorizes as the local backend's broker does: the listener the host
 * reaches (the container's {@code PLAINTEXT}, port 9092) takes SASL/SCRAM-SHA-512 clients only, and
 * {@code StandardAuthorizer} allows a principal what its ACLs grant, the super user {@code admin}
 * everything. The apache/kafka image cannot create a SCRAM user from its environment, so
 * {@code admin} is created once the broker runs, by Kafka's own {@code kafka-configs.sh} inside the
 * container, over its {@code BROKER} listener (not mapped to the host; unauthenticated, where the
 * anonymous principal is a super user, as on {@code CONTROLLER}); further users through
 * {@code admin}. Written from Testcontainers' and the image's sources (docs/kafka-security-research.md,
 * section 6) and not run by this project's CI, which has no Docker engine.
 */
final class DockerInfrastructure implements PipelineInfrastructure {

    static final DockerImageName KAFKA_IMAGE = DockerImageName.parse("apache/kafka:4.3.1");
    static final DockerImageName MYSQL_IMAGE = DockerImageName.parse("mysql:8.4");

    private final KafkaContainer kafka;
    private final MySQLContainer mysql;
    private final KafkaCredentials admin;
    private final Map<String, KafkaCredentials> users = new ConcurrentHashMap<>();

    private DockerInfrastructure(KafkaContainer kafka, MySQLContainer mysql, KafkaCredentials admin) {
        this.kafka = kafka;
        this.mysql = mysql;
        this.admin = admin;
    }

    static DockerInfrastructure start() {
        String session = String.valueOf(PipelineInfrastructure.GROUP_SESSION_TIMEOUT.toMillis());
        String heartbeat = String.valueOf(PipelineInfrastructure.GROUP_HEARTBEAT_INTERVAL.toMillis());
        KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE)
                // Testcontainers' listeners: PLAINTEXT (9092, mapped to the host), BROKER (9093, inter-broker)
                // and CONTROLLER (9094), all PLAINTEXT by default; only the host's becomes SASL
                .withEnv("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP",
                        "BROKER:PLAINTEXT,PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT")
                .withEnv("KAFKA_SASL_ENABLED_MECHANISMS", KafkaCredentials.MECHANISM)
                .withEnv("KAFKA_LISTENER_NAME_PLAINTEXT_SCRAM___SHA___512_SASL_JAAS_CONFIG",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;")
                .withEnv("KAFKA_AUTHORIZER_CLASS_NAME", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                // ANONYMOUS: the node's own unauthenticated traffic on BROKER and CONTROLLER, which the
                // host cannot reach (not mapped)
                .withEnv("KAFKA_SUPER_USERS", "User:admin;User:ANONYMOUS")
                // as the local cluster and compose: timed-out transactions aborted within a second
                .withEnv("KAFKA_TRANSACTION_ABORT_TIMED_OUT_TRANSACTION_CLEANUP_INTERVAL_MS",
                        String.valueOf(PipelineInfrastructure.TIMED_OUT_TRANSACTION_CHECK.toMillis()))
                // as the local cluster and compose: the services' session timeout, on either group protocol
                .withEnv("KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS", session)
                .withEnv("KAFKA_GROUP_CONSUMER_MIN_SESSION_TIMEOUT_MS", session)
                .withEnv("KAFKA_GROUP_CONSUMER_SESSION_TIMEOUT_MS", session)
                .withEnv("KAFKA_GROUP_CONSUMER_MIN_HEARTBEAT_INTERVAL_MS", heartbeat)
                .withEnv("KAFKA_GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS", heartbeat);
        MySQLContainer mysql = new MySQLContainer(MYSQL_IMAGE).withDatabaseName(DATABASE);
        try {
            kafka.start();
            KafkaCredentials admin = KafkaCredentials.random("admin");
            Container.ExecResult created = kafka.execInContainer("/opt/kafka/bin/kafka-configs.sh",
                    "--bootstrap-server", "localhost:9093", "--alter", "--entity-type", "users", "--entity-name",
                    admin.username(), "--add-config", KafkaCredentials.MECHANISM + "=[password=" + admin.password() + "]");
            if (created.getExitCode() != 0) {
                throw new IllegalStateException("Cannot create the Kafka admin user in the container: "
                        + created.getStdout() + created.getStderr());
            }
            mysql.start();
            DockerInfrastructure infra = new DockerInfrastructure(kafka, mysql, admin);
            ScramUsers.awaitAuthenticated(infra.kafkaAdminConnection());
            return infra;
        }
        catch (IOException e) {
            mysql.stop();
            kafka.stop();
            throw new IllegalStateException("The docker backend (Testcontainers) could not start", e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            mysql.stop();
            kafka.stop();
            throw new IllegalStateException("Interrupted while starting the docker backend", e);
        }
        catch (RuntimeException e) {
            mysql.stop();
            kafka.stop();
            throw new IllegalStateException("The docker backend (Testcontainers) could not start", e);
        }
    }

    @Override
    public Backend backend() {
        return Backend.DOCKER;
    }

    @Override
    public String kafkaBootstrapServers() {
        return kafka.getBootstrapServers();
    }

    @Override
    public KafkaConnection kafkaAdminConnection() {
        return KafkaConnection.authenticated(kafkaBootstrapServers(), admin);
    }

    @Override
    public KafkaConnection kafkaConnection(String username) {
        return KafkaConnection.authenticated(kafkaBootstrapServers(),
                users.computeIfAbsent(username, name -> upsert(KafkaCredentials.random(name))));
    }

    @Override
    public KafkaConnection kafkaConnection(KafkaCredentials credentials) {
        users.compute(credentials.username(), (name, known) -> credentials.equals(known) ? known : upsert(credentials));
        return KafkaConnection.authenticated(kafkaBootstrapServers(), credentials);
    }

    private KafkaCredentials upsert(KafkaCredentials credentials) {
        ScramUsers.upsert(kafkaAdminConnection(), credentials, List.of(kafkaBootstrapServers()));
        return credentials;
    }

    @Override
    public String jdbcUrl() {
        return mysql.getJdbcUrl();
    }

    @Override
    public String jdbcUsername() {
        return mysql.getUsername();
    }

    @Override
    public String jdbcPassword() {
        return mysql.getPassword();
    }

    @Override
    public void stopKafka() {
        kafka.getDockerClient().pauseContainerCmd(kafka.getContainerId()).exec();
    }

    @Override
    public void startKafka() {
        kafka.getDockerClient().unpauseContainerCmd(kafka.getContainerId()).exec();
    }

    @Override
    public void stopDatabase() {
        mysql.getDockerClient().pauseContainerCmd(mysql.getContainerId()).exec();
    }

    @Override
    public void startDatabase() {
        mysql.getDockerClient().unpauseContainerCmd(mysql.getContainerId()).exec();
    }

    @Override
    public void close() {
        try {
            mysql.stop();
        }
        finally {
            kafka.stop();
        }
    }
}
