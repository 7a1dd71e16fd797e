package dev.adclicks.lab.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.Random;

import dev.adclicks.infra.PipelineInfrastructure;
import dev.adclicks.lab.ClickLoad;
import dev.adclicks.model.AdClick;

/**
 * The database's own limit for the sink's rows: what this MariaDB takes from one connection when
 * nothing but the inserts is done. The same table (a copy of {@code click_event}, made with
 * {@code CREATE TABLE ... LIKE}: the same columns, the unique key on {@code click_id}, the index on
 * {@code ad_id}), rows like the sink's, multi-row INSERTs of {@value #ROWS_PER_STATEMENT} rows (as
 * the sink writes them) from one prepared statement, {@value #ROWS_PER_TRANSACTION} rows per
 * transaction (the sink's {@code max-poll-records}: one poll is one transaction there). No Kafka,
 * no duplicates to look up, no aggregates. Rows/s after the first 20% (as everywhere in the
 * benchmark).
 *
 * <p>Hand-written JDBC on purpose: the point is the plainest client there is.
 */
final class DatabaseLimit {

    static final int ROWS_PER_STATEMENT = 500;

    static final int ROWS_PER_TRANSACTION = 2_000;

    private static final String TABLE = "click_event_limit";

    private DatabaseLimit() {
    }

    /** Creates {@value #TABLE} like {@code click_event} (which must exist), inserts {@code rows} rows. */
    static double rowsPerSecond(PipelineInfrastructure infra, int rows) {
        String row = "(?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6))";
        String insert = "INSERT INTO " + TABLE
                + " (click_id, ad_id, campaign_id, user_id, occurred_at, cost_micros, relayed_at, stored_at) VALUES "
                + String.join(", ", Collections.nCopies(ROWS_PER_STATEMENT, row));
        Random random = new Random(11);
        try (Connection connection = DriverManager.getConnection(infra.jdbcUrl(), infra.jdbcUsername(),
                infra.jdbcPassword())) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE IF EXISTS " + TABLE);
                statement.execute("CREATE TABLE " + TABLE + " LIKE click_event");
            }
            connection.setAutoCommit(false);
            // the clock starts at the statement that holds the row at 20%
            int warmUp = Math.round(rows * 0.2f) / ROWS_PER_STATEMENT * ROWS_PER_STATEMENT;
            long started = 0;
            int inserted = 0;
            try (PreparedStatement statement = connection.prepareStatement(insert)) {
                while (inserted + ROWS_PER_STATEMENT <= rows) {
                    if (inserted == warmUp) {
                        started = System.nanoTime();
                    }
                    int index = 0;
                    for (int i = 0; i < ROWS_PER_STATEMENT; i++) {
                        AdClick click = BenchTopics.click(random, inserted + i);
                        statement.setString(++index, click.clickId().toString());
                        statement.setString(++index, click.adId());
                        statement.setString(++index, click.campaignId());
                        statement.setString(++index, click.userId());
                        statement.setObject(++index, utc(click.occurredAt()));
                        statement.setLong(++index, ClickLoad.CAMPAIGN_PRICES.get(click.campaignId()));
                        statement.setObject(++index, utc(Instant.now()));
                    }
                    statement.executeUpdate();
                    inserted += ROWS_PER_STATEMENT;
                    if (inserted % ROWS_PER_TRANSACTION == 0) {
                        connection.commit();
                    }
                }
                connection.commit();
            }
            long measured = inserted - warmUp;
            return measured / ((System.nanoTime() - started) / 1e9);
        }
        catch (SQLException e) {
            throw new IllegalStateException("measuring the database's limit failed", e);
        }
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
