package dev.adclicks.sink.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.adclicks.model.AdEvent;

/**
 * How the sink's two tables are written, shared by {@link InsertIfAbsentEventWriter} and the
 * comparison lab's {@link dev.adclicks.sink.comparison.NaiveCountingEventWriter}: the columns of a
 * {@code click_event} row and how an event binds to them, and the upsert that adds totals to
 * {@code ad_daily_stats}. Which events get a row and which get counted is each writer's own decision,
 * and the whole difference between them.
 */
public final class SinkTables {

    /** {@code click_event} and the columns a writer fills, in the order {@link #bindEvent} binds them. */
    public static final String CLICK_EVENT_COLUMNS =
            "click_event (click_id, ad_id, campaign_id, user_id, occurred_at, cost_micros, relayed_at, stored_at)";

    /**
     * The values of one row of {@link #CLICK_EVENT_COLUMNS}: 7 to bind; {@code stored_at} is the
     * database's UTC clock.
     */
    public static final String CLICK_EVENT_ROW = "(?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6))";

    // VALUES(col) rather than the MySQL 8.0.19+ row alias (VALUES (...) AS new ... new.clicks): MariaDB
    // has no row alias, and VALUES() still works on MySQL 8.4 (deprecated there, with a warning).
    private static final String ADD_TO_DAILY_STATS = """
            INSERT INTO ad_daily_stats (ad_id, day, clicks, spend_micros)
            VALUES %s
            ON DUPLICATE KEY UPDATE
                clicks = clicks + VALUES(clicks),
                spend_micros = spend_micros + VALUES(spend_micros)
            """;

    private SinkTables() {
    }

    /** {@code count} copies of {@code each}, comma-separated: the rows of a multi-row statement, or an IN list. */
    public static String repeated(int count, String each) {
        return String.join(", ", Collections.nCopies(count, each));
    }

    /**
     * Binds the 7 values of {@code event} to the parameters after {@code index}, in
     * {@link #CLICK_EVENT_COLUMNS} order; returns the last index bound.
     */
    public static int bindEvent(PreparedStatement statement, AdEvent event, int index) throws SQLException {
        statement.setString(index + 1, event.clickId().toString());
        statement.setString(index + 2, event.adId());
        statement.setString(index + 3, event.campaignId());
        statement.setString(index + 4, event.userId());
        statement.setObject(index + 5, utcDateTime(event.occurredAt()));
        statement.setLong(index + 6, event.costMicros());
        statement.setObject(index + 7, utcDateTime(event.relayedAt()));
        return index + 7;
    }

    /**
     * Adds {@code totals} to {@code ad_daily_stats} ({@code clicks = clicks + n}): one multi-row upsert
     * per {@code rowsPerStatement} rows, in (adId, day) order, so that concurrent batches lock the rows
     * in the same order. Not idempotent: applied twice, it counts twice. The caller decides which
     * events the totals are made of.
     */
    public static void addToDailyStats(JdbcTemplate jdbc, SortedMap<AdDay, DailyTotals> totals, int rowsPerStatement) {
        List<Map.Entry<AdDay, DailyTotals>> rows = new ArrayList<>(totals.entrySet());
        for (int from = 0; from < rows.size(); from += rowsPerStatement) {
            List<Map.Entry<AdDay, DailyTotals>> some = rows.subList(from, Math.min(rows.size(), from + rowsPerStatement));
            jdbc.update(ADD_TO_DAILY_STATS.formatted(repeated(some.size(), "(?, ?, ?, ?)")), statement -> {
                int index = 0;
                for (Map.Entry<AdDay, DailyTotals> row : some) {
                    statement.setString(++index, row.getKey().adId());
                    statement.setObject(++index, row.getKey().day());
                    statement.setLong(++index, row.getValue().clicks());
                    statement.setLong(++index, row.getValue().spendMicros());
                }
            });
        }
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
