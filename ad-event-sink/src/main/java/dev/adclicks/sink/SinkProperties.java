package dev.adclicks.sink;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the sink under {@code sink.*}.
 *
 * @param topic how {@code ad-events} and its dead-letter topic are declared
 * @param retry the back-off between attempts of a failed batch (attempts are unlimited, see
 *              {@link dev.adclicks.sink.ingest.SinkKafkaConfiguration})
 * @param deadLetterSendTimeout how long to wait for the broker's ack of a dead-letter record
 * @param rowsPerStatement rows per statement of the writers: per {@code SELECT ... IN (...)}, per
 *        multi-row {@code INSERT} and per {@code ad_daily_stats} upsert (docs/performance.md); a poll of
 *        more events takes several statements
 * @param warmUpEvents how many made-up events {@link dev.adclicks.sink.ingest.ReaderWarmUp} reads
 *        before the listener starts; 0 for none
 * @param warmUpBatches how many batches of made-up events {@link dev.adclicks.sink.ingest.WriterWarmUp}
 *        writes, each in a transaction it rolls back, before the listener starts; 0 for none
 */
@ConfigurationProperties("sink")
public record SinkProperties(
        @DefaultValue Topic topic,
        @DefaultValue Retry retry,
        @DefaultValue("10s") Duration deadLetterSendTimeout,
        @DefaultValue("500") int rowsPerStatement,
        @DefaultValue("30000") int warmUpEvents,
        @DefaultValue("20") int warmUpBatches) {

    public SinkProperties {
        if (warmUpEvents < 0) {
            throw new IllegalArgumentException("sink.warm-up-events must be >= 0 (0: no warm-up)");
        }
        if (warmUpBatches < 0) {
            throw new IllegalArgumentException("sink.warm-up-batches must be >= 0 (0: no warm-up)");
        }
    }

    /**
     * @param replicationFactor replication factor of {@code ad-events} and {@code ad-events.DLT} if
     *                          this service creates them first (names and partitions:
     *                          {@link dev.adclicks.model.Topics}); 1 is for a single local broker only
     */
    public record Topic(@DefaultValue("1") short replicationFactor) {
    }

    /**
     * @param initialInterval pause before the first retry of a failed batch
     * @param multiplier      growth of the pause per attempt
     * @param maxInterval     longest pause; hence roughly the longest delay between the DB coming
     *                        back and the batch being stored. 2 s: an attempt against a database
     *                        that is down costs one failed connection (at most Hikari's 5 s
     *                        connection timeout), and a longer pause only adds to the stall after
     *                        it is back (docs/recovery.md)
     */
    public record Retry(
            @DefaultValue("500ms") Duration initialInterval,
            @DefaultValue("2.0") double multiplier,
            @DefaultValue("2s") Duration maxInterval) {
    }
}
