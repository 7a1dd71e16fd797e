package dev.adclicks.sink.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

import dev.adclicks.sink.SinkIntegrationTest;
import dev.adclicks.sink.SinkProperties;

/** The database warm-up, with the sink's own writer and transaction manager, against the real database. */
class WriterWarmUpIT extends SinkIntegrationTest {

    @Autowired
    private WriterWarmUp warmUp;

    @Autowired
    private SinkProperties sink;

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private KafkaListenerEndpointRegistry listeners;

    @Test
    void writesEveryMadeUpEventThroughTheWriterAndStoresNothing() {
        long rowsBefore = rows("click_event");
        long statsBefore = rows("ad_daily_stats");

        int inserted = warmUp.run();

        // the writer really inserted them (the path is warmed), at least the smallest batch each time...
        assertThat(sink.warmUpBatches()).isPositive();
        assertThat(inserted).isGreaterThanOrEqualTo(sink.warmUpBatches() * 50);
        // ...and every transaction was rolled back: no made-up event and no count of one is left
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM click_event WHERE ad_id LIKE 'warm-up-%'", Long.class))
                .isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM ad_daily_stats WHERE ad_id LIKE 'warm-up-%'",
                Long.class)).isZero();
        assertThat(rows("click_event")).isEqualTo(rowsBefore);
        assertThat(rows("ad_daily_stats")).isEqualTo(statsBefore);
    }

    @Test
    void isOverBeforeTheListenerContainersStart() {
        // lower phases start first, and a SmartLifecycle's start() returns when its warm-up is done
        assertThat(warmUp.getPhase()).isLessThan(listeners.getPhase());
        assertThat(warmUp.isRunning()).isTrue();
    }

    private long rows(String table) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
    }
}
