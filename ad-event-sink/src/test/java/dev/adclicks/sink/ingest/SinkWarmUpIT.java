package dev.adclicks.sink.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.adclicks.model.AdEvent;
import dev.adclicks.sink.SinkIntegrationTest;
import dev.adclicks.sink.SinkProperties;
import dev.adclicks.sink.store.EventWriter;

/**
 * The sink's warm-up, as the application configures it, against the real database: its writes reach
 * MariaDB (they use up ids) and leave nothing behind (they are rolled back).
 */
class SinkWarmUpIT extends SinkIntegrationTest {

    @Autowired
    private SinkWarmUp warmUp;

    @Autowired
    private SinkProperties properties;

    @Autowired
    private EventWriter writer;

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void writesItsMadeUpEventsAndRollsThemBack() {
        assertThat(properties.warmUpWrites()).isPositive();
        long before = storeOneAndGetItsId();

        assertThat(warmUp.run()).isEqualTo(properties.warmUpEvents());

        // the warm-up's INSERTs ran: InnoDB does not give back the ids of rolled-back rows
        assertThat(storeOneAndGetItsId() - before).isGreaterThan(properties.warmUpWrites());
        // and were rolled back: no made-up row, no made-up counter
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM click_event WHERE ad_id LIKE 'warm-up-%'", Long.class))
                .isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM ad_daily_stats WHERE ad_id LIKE 'warm-up-%'", Long.class))
                .isZero();
    }

    private long storeOneAndGetItsId() {
        AdEvent event = event(uniqueAdId(), "2026-11-04T10:00:00Z", 1);
        writer.write(List.of(event));
        return jdbc.queryForObject("SELECT id FROM click_event WHERE click_id = ?", Long.class,
                event.clickId().toString());
    }
}
