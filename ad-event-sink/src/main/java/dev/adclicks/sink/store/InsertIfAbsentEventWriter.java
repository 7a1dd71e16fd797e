package dev.adclicks.sink.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.adclicks.model.AdEvent;

/**
 * Guard 3 of the pipeline: stores a polled batch of events so that each clickId counts once, no
 * matter how often Kafka delivers it. ONE database transaction per batch, two steps:
 *
 * <ol>
 * <li>{@code INSERT IGNORE} every event. {@code UNIQUE(click_id)} turns an event that is already
 *     stored into a no-op, and the per-row update count says which rows were inserted (1) and which
 *     were duplicates (0): a redelivery after a crash, or the same clickId twice in one batch.</li>
 * <li>For the inserted rows ONLY, add clicks and spend to {@code ad_daily_stats}
 *     ({@code clicks = clicks + n}).</li>
 * </ol>
 *
 * <p>Step 2 is not idempotent by itself: applied twice, {@code x = x + n} counts twice. It is made
 * safe by being fed only from rows step 1 actually inserted, in the same transaction: a redelivered
 * event inserts nothing and so adds nothing; a batch that rolls back inserted nothing and added
 * nothing, so its redelivery is simply new again. There is no state in between.
 *
 * <p>The per-row counts are exact only without {@code rewriteBatchedStatements} (see
 * {@code application.yml}); anything other than 0 or 1 fails the batch loudly rather than guessing.
 *
 * <p>{@code INSERT IGNORE} also downgrades other errors to warnings (NULL into a NOT NULL column,
 * a too-long string): it would store a coerced row. Events reach this writer only after
 * {@link dev.adclicks.sink.ingest.AdEventReader} checked them, so the only error left to ignore is
 * the duplicate key.
 */
@Component
public class InsertIfAbsentEventWriter implements EventWriter {

    private static final Logger log = LoggerFactory.getLogger(InsertIfAbsentEventWriter.class);

    static final String INSERT_IF_ABSENT = """
            INSERT IGNORE INTO click_event
                (click_id, ad_id, campaign_id, user_id, occurred_at, cost_micros, relayed_at, stored_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6))
            """;

    // VALUES(col) rather than the MySQL 8.0.19+ row alias (VALUES (...) AS new ... new.clicks): MariaDB
    // has no row alias, and VALUES() still works on MySQL 8.4 (deprecated there, with a warning).
    static final String ADD_TO_DAILY_STATS = """
            INSERT INTO ad_daily_stats (ad_id, day, clicks, spend_micros)
            VALUES (?, ?, ?, ?)
            ON DUPLICATE KEY UPDATE
                clicks = clicks + VALUES(clicks),
                spend_micros = spend_micros + VALUES(spend_micros)
            """;

    private final JdbcTemplate jdbc;

    public InsertIfAbsentEventWriter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Stores {@code events} in one transaction: on return it has committed; on an exception nothing
     * of the batch is stored.
     */
    @Override
    @Transactional
    public WriteResult write(List<AdEvent> events) {
        if (events.isEmpty()) {
            return WriteResult.NOTHING;
        }
        List<AdEvent> inserted = insertIfAbsent(events);
        addToDailyStats(jdbc, DailyStatsAggregation.byAdAndUtcDay(inserted));
        return new WriteResult(inserted.size(), events.size() - inserted.size());
    }

    /** Step 1: returns the events that were inserted, in batch order. */
    private List<AdEvent> insertIfAbsent(List<AdEvent> events) {
        int[] counts = jdbc.batchUpdate(INSERT_IF_ABSENT, events, events.size(), InsertIfAbsentEventWriter::bindEvent)[0];
        if (counts.length != events.size()) {
            throw new IllegalStateException("INSERT IGNORE batch of " + events.size() + " events returned "
                    + counts.length + " update counts");
        }
        List<AdEvent> inserted = new ArrayList<>(events.size());
        for (int i = 0; i < counts.length; i++) {
            AdEvent event = events.get(i);
            switch (counts[i]) {
                case 1 -> inserted.add(event);
                case 0 -> log.debug("Duplicate delivery absorbed by UNIQUE(click_id): clickId={} adId={}",
                        event.clickId(), event.adId());
                default -> throw new IllegalStateException("INSERT IGNORE of clickId " + event.clickId()
                        + " reported update count " + counts[i] + "; only 1 (inserted) or 0 (duplicate) tell"
                        + " which rows to aggregate. -2 (SUCCESS_NO_INFO) means the JDBC driver rewrote the"
                        + " batch: rewriteBatchedStatements must be false");
            }
        }
        return inserted;
    }

    /** Step 2: the non-idempotent increment, fed only by rows step 1 inserted. */
    static void addToDailyStats(JdbcTemplate jdbc, SortedMap<AdDay, DailyTotals> totals) {
        if (totals.isEmpty()) {
            return;
        }
        List<Map.Entry<AdDay, DailyTotals>> rows = new ArrayList<>(totals.entrySet());
        jdbc.batchUpdate(ADD_TO_DAILY_STATS, rows, rows.size(), (statement, row) -> {
            statement.setString(1, row.getKey().adId());
            statement.setObject(2, row.getKey().day());
            statement.setLong(3, row.getValue().clicks());
            statement.setLong(4, row.getValue().spendMicros());
        });
    }

    static void bindEvent(PreparedStatement statement, AdEvent event) throws SQLException {
        statement.setString(1, event.clickId().toString());
        statement.setString(2, event.adId());
        statement.setString(3, event.campaignId());
        statement.setString(4, event.userId());
        statement.setObject(5, utcDateTime(event.occurredAt()));
        statement.setLong(6, event.costMicros());
        statement.setObject(7, utcDateTime(event.relayedAt()));
    }

    /**
     * DATETIME has no zone: store the UTC wall-clock time, bound as a LocalDateTime so neither the
     * JVM's nor the session's zone shifts it. Truncated to the column's microseconds (MySQL would
     * round, MariaDB truncate: truncating here makes both store the same value).
     */
    private static LocalDateTime utcDateTime(Instant instant) {
        return LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }
}
