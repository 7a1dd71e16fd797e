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

import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.adclicks.model.AdEvent;
import dev.adclicks.delivery.DeliverySemantics;
import dev.adclicks.delivery.ConditionalOnDeliverySemantics;

/**
 * EXISTS ONLY FOR THE COMPARISON LAB: the sink's writer in {@code pipeline.delivery=at-least-once}
 * (the Spring profile of the same name), never in the default mode, where it does not exist. It
 * replaces {@link InsertIfAbsentEventWriter} there ({@link Primary}). Copy that one, not this.
 *
 * <p>The seeds' naive sink. The row still lands behind UNIQUE(click_id) ({@code INSERT IGNORE}),
 * and the offsets are still committed after the DB transaction, so nothing is lost and no row is
 * doubled. But the per-ad aggregates get {@code clicks = clicks + 1} for EVERY delivered event,
 * whether its row was inserted or was already there. So every redelivery (the sink crashing between
 * its DB commit and its offset commit, a duplicate the relay or the producer wrote, a client's resend)
 * leaves one row and counts it twice: aggregate clicks and spend exceed what the rows add up to.
 */
@Component
@Primary
@ConditionalOnDeliverySemantics(DeliverySemantics.AT_LEAST_ONCE)
public class NaiveCountingEventWriter implements EventWriter {

    private static final String INSERT_IGNORE = """
            INSERT IGNORE INTO click_event
                (click_id, ad_id, campaign_id, user_id, occurred_at, cost_micros, relayed_at, stored_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6))
            """;

    private static final String ADD_TO_DAILY_STATS = """
            INSERT INTO ad_daily_stats (ad_id, day, clicks, spend_micros)
            VALUES (?, ?, ?, ?)
            ON DUPLICATE KEY UPDATE
                clicks = clicks + VALUES(clicks),
                spend_micros = spend_micros + VALUES(spend_micros)
            """;

    private final JdbcTemplate jdbc;

    public NaiveCountingEventWriter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * One transaction: the rows (duplicates ignored), then the aggregates of ALL {@code events}.
     * {@link WriteResult#duplicates()} here counts events that found their row already stored and
     * were counted in the aggregates anyway.
     */
    @Override
    @Transactional
    public WriteResult write(List<AdEvent> events) {
        if (events.isEmpty()) {
            return WriteResult.NOTHING;
        }
        int[] counts = jdbc.batchUpdate(INSERT_IGNORE, events, events.size(), NaiveCountingEventWriter::bindEvent)[0];
        int inserted = 0;
        for (int count : counts) {
            inserted += count == 1 ? 1 : 0;
        }
        // The naive step: fed by every delivered event, not only by the rows just inserted.
        List<Map.Entry<AdDay, DailyTotals>> rows = new ArrayList<>(DailyStatsAggregation.byAdAndUtcDay(events).entrySet());
        jdbc.batchUpdate(ADD_TO_DAILY_STATS, rows, rows.size(), (statement, row) -> {
            statement.setString(1, row.getKey().adId());
            statement.setObject(2, row.getKey().day());
            statement.setLong(3, row.getValue().clicks());
            statement.setLong(4, row.getValue().spendMicros());
        });
        return new WriteResult(inserted, events.size() - inserted);
    }

    private static void bindEvent(PreparedStatement statement, AdEvent event) throws SQLException {
        statement.setString(1, event.clickId().toString());
        statement.setString(2, event.adId());
        statement.setString(3, event.campaignId());
        statement.setString(4, event.userId());
        statement.setObject(5, utcDateTime(event.occurredAt()));
        statement.setLong(6, event.costMicros());
        statement.setObject(7, utcDateTime(event.relayedAt()));
    }

    private static LocalDateTime utcDateTime(Instant instant) {
        return LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }
}
