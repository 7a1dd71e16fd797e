package dev.adclicks.sink.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.adclicks.model.AdEvent;
import dev.adclicks.sink.SinkIntegrationTest;

/** The writer alone, called with exactly the batches a test wants, against the real database. */
class InsertIfAbsentEventWriterIT extends SinkIntegrationTest {

    @Autowired
    private InsertIfAbsentEventWriter writer;

    @Test
    void countsOnlyInsertedRowsIncludingAClickIdRepeatedWithinTheBatch() {
        String adId = uniqueAdId();
        AdEvent stored = event(adId, "2026-11-04T10:00:00Z", 100);
        AdEvent fresh = event(adId, "2026-11-04T11:00:00Z", 20);
        AdEvent twice = event(adId, "2026-11-05T01:00:00Z", 3);

        assertThat(writer.write(List.of(stored))).isEqualTo(new WriteResult(1, 0));
        assertThat(writer.write(List.of(stored, fresh, twice, twice))).isEqualTo(new WriteResult(2, 2));

        assertThat(clickEvents.findByAdId(adId)).hasSize(3);
        assertThat(dailyStats.findByIdAdIdOrderByIdDay(adId))
                .extracting(stats -> stats.getId().day(), AdDailyStats::getClicks, AdDailyStats::getSpendMicros)
                .containsExactly(
                        tuple(LocalDate.parse("2026-11-04"), 2L, 120L),
                        tuple(LocalDate.parse("2026-11-05"), 1L, 3L));
    }

    @Test
    void storesInstantsAsUtcWithMicrosecondsWhateverTheJvmZone() {
        // the build runs the tests with -Duser.timezone=Asia/Kolkata
        String adId = uniqueAdId();
        AdEvent event = event(adId, "2026-11-04T22:30:00.654321Z", 1);

        writer.write(List.of(event));

        assertThat(clickEvents.findByClickIdIn(List.of(event.clickId()))).singleElement().satisfies(row -> {
            assertThat(row.getOccurredAt()).isEqualTo(event.occurredAt());
            assertThat(row.getRelayedAt()).isEqualTo(event.relayedAt());
            assertThat(row.getStoredAt()).isAfterOrEqualTo(event.relayedAt().minusSeconds(60));
        });
        // 22:30 UTC is 04:00 the next day in Kolkata: the aggregate must stay on the UTC day
        assertThat(dailyStats.findByIdAdIdOrderByIdDay(adId))
                .extracting(stats -> stats.getId().day())
                .containsExactly(LocalDate.parse("2026-11-04"));
    }

    @Test
    void aBatchThatFailsAfterItsInsertsLeavesNothingBehindSoItsRedeliveryCountsAgain() {
        String adId = uniqueAdId();
        // both rows insert fine; adding their spend overflows a long, after the inserts
        AdEvent huge = event(adId, "2026-11-04T10:00:00Z", Long.MAX_VALUE);
        AdEvent more = event(adId, "2026-11-04T10:00:01Z", 1);

        assertThatThrownBy(() -> writer.write(List.of(huge, more))).isInstanceOf(ArithmeticException.class);

        assertThat(clickEvents.findByAdId(adId)).isEmpty();
        assertThat(dailyStats.findByIdAdIdOrderByIdDay(adId)).isEmpty();
        // the "redelivery" (here: without the overflow) is new again, not a duplicate
        assertThat(writer.write(List.of(more))).isEqualTo(new WriteResult(1, 0));
        assertThat(dailyStats.findByIdAdIdOrderByIdDay(adId)).singleElement()
                .extracting(AdDailyStats::getClicks, AdDailyStats::getSpendMicros)
                .containsExactly(1L, 1L);
    }
}
