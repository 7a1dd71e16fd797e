package dev.adclicks.dashboard;

import java.time.Instant;
import java.util.List;

/**
 * What the dashboard shows, in one JSON document ({@code GET /api/pipeline}).
 *
 * <p>Counters marked "since start" are the services' own meters, added up over their instances:
 * they restart at 0 when a service restarts. The {@code durable} numbers come from Kafka and MySQL
 * and do not.
 */
public record PipelineStatus(Instant at, Producer producer, Relay relay, Sink sink, Durable durable, Lag lag,
        List<Guard> guards, List<String> unreachable) {

    /**
     * Since start, over all producer instances. {@code retries}: batches the idempotent producer
     * re-sent (deduplicated by the broker).
     */
    public record Producer(int instances, long accepted, long failed, long retries) {
    }

    /** Since start, over all relay instances. */
    public record Relay(int instances, long transactionsCommitted, long transactionsAborted, long eventsCommitted,
            long rejectedCommitted, long deadLetteredCommitted, long abortedRecords) {
    }

    /** Since start, over all sink instances. */
    public record Sink(int instances, long inserted, long duplicatesAbsorbed, long deadLettered,
            long failedBatchAttempts) {
    }

    /**
     * From the broker and the database.
     *
     * @param adClicksRecords records in ad-clicks (re-sent clicks included)
     * @param adEventsEndOffset end of ad-events: committed events plus transaction markers and aborted records
     * @param rowsInMysql rows in click_event: one per distinct click
     * @param clicksInAggregates clicks summed over ad_daily_stats: equal to the rows when nothing was counted twice
     */
    public record Durable(Long adClicksRecords, Long adEventsEndOffset, Long rowsInMysql, Long clicksInAggregates) {
    }

    /** Records not yet committed by each consumer group ({@code null}: unknown right now). */
    public record Lag(Long relay, Long sink) {
    }

    /** One guard and how many duplicates it stopped since its services started. */
    public record Guard(String name, String where, long blocked, String meaning) {
    }
}
