package dev.adclicks.producer.clicks;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings under {@code clicks.*}, with their defaults (the one place they are set;
 * {@code application.yml} overrides none of them).
 *
 * @param ackTimeout   longest a request waits for the broker's acknowledgement before answering 503
 * @param maxBodySize  largest request body read (Content-Length and chunked bodies alike)
 * @param maxBatchSize most clicks accepted by one {@code POST /api/clicks/batch}
 * @param topic        how {@code ad-clicks} is created when it does not exist yet (its name and
 *                     partitions: {@link dev.adclicks.model.Topics})
 * @param producer     the producer's own time limits; together they must fit inside {@code ackTimeout}
 */
@ConfigurationProperties("clicks")
public record ClicksProperties(
        @DefaultValue("10s") Duration ackTimeout,
        @DefaultValue("1MB") DataSize maxBodySize,
        @DefaultValue("1000") int maxBatchSize,
        @DefaultValue Topic topic,
        @DefaultValue Producer producer) {

    /**
     * @param replicationFactor 1 is for a single local broker only: in production use 3 with
     *                          {@code min.insync.replicas=2}, or {@code acks=all} has nothing to wait for
     */
    public record Topic(@DefaultValue("1") short replicationFactor) {
    }

    /**
     * @param maxBlock        {@code max.block.ms}: how long {@code send()} may block the request thread
     *                        waiting for metadata or buffer space (a down broker blocks here)
     * @param deliveryTimeout {@code delivery.timeout.ms}: after this the producer stops retrying a record
     *                        and fails its future
     * @param requestTimeout  {@code request.timeout.ms}: one produce request; Kafka requires
     *                        {@code delivery.timeout.ms >= linger.ms + request.timeout.ms}
     */
    public record Producer(
            @DefaultValue("2s") Duration maxBlock,
            @DefaultValue("7s") Duration deliveryTimeout,
            @DefaultValue("5s") Duration requestTimeout) {
    }

    public ClicksProperties {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("clicks.max-batch-size must be at least 1, was " + maxBatchSize);
        }
        if (maxBodySize.toBytes() < 1) {
            throw new IllegalArgumentException("clicks.max-body-size must be positive, was " + maxBodySize);
        }
        if (topic.replicationFactor() < 1) {
            throw new IllegalArgumentException("clicks.topic.replication-factor must be at least 1");
        }
        if (producer.requestTimeout().compareTo(producer.deliveryTimeout()) >= 0) {
            throw new IllegalArgumentException("clicks.producer.request-timeout (" + producer.requestTimeout()
                    + ") must be shorter than clicks.producer.delivery-timeout (" + producer.deliveryTimeout() + ")");
        }
        // The producer must give its own definite answer (acked, or failed after delivery.timeout.ms)
        // before the HTTP request gives up waiting; ackTimeout is only the backstop.
        if (producer.maxBlock().plus(producer.deliveryTimeout()).compareTo(ackTimeout) >= 0) {
            throw new IllegalArgumentException("clicks.producer.max-block + clicks.producer.delivery-timeout ("
                    + producer.maxBlock().plus(producer.deliveryTimeout())
                    + ") must be shorter than clicks.ack-timeout (" + ackTimeout + ")");
        }
    }
}
