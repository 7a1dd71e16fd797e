package dev.adclicks.infra;

import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.mysql.MySQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Docker backend: Testcontainers' {@link KafkaContainer} (apache/kafka, single-node KRaft
 * with replication factor 1 for the transaction log already set) and {@link MySQLContainer}.
 * Outages pause the container: clients see a server that stops answering.
 */
final class DockerInfrastructure implements PipelineInfrastructure {

    static final DockerImageName KAFKA_IMAGE = DockerImageName.parse("apache/kafka:4.3.1");
    static final DockerImageName MYSQL_IMAGE = DockerImageName.parse("mysql:8.4");

    private final KafkaContainer kafka;
    private final MySQLContainer mysql;

    private DockerInfrastructure(KafkaContainer kafka, MySQLContainer mysql) {
        this.kafka = kafka;
        this.mysql = mysql;
    }

    static DockerInfrastructure start() {
        KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE);
        MySQLContainer mysql = new MySQLContainer(MYSQL_IMAGE).withDatabaseName(DATABASE);
        try {
            kafka.start();
            mysql.start();
            return new DockerInfrastructure(kafka, mysql);
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
