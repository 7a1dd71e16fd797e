package dev.adclicks.sink.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.adclicks.model.AdEvent;
import dev.adclicks.sink.SinkIntegrationTest;
import dev.adclicks.sink.store.AdDailyStats;
import dev.adclicks.sink.store.ClickEvent;

/** Redelivery is normal: whatever Kafka delivers twice is stored and counted once. */
class DuplicateDeliveryIT extends SinkIntegrationTest {

    @Test
    void theSameEventDeliveredTwiceIsOneRowAndCountedOnceInTheAggregates() {
        String adId = uniqueAdId();
        AdEvent event = event(adId, "2026-11-04T10:15:30.123456Z", 2_500);

        send(event);
        await().atMost(PATIENCE).until(() -> clickEvents.findByClickIdIn(List.of(event.clickId())).size() == 1);
        long duplicatesBefore = metrics.duplicatesCount();

        send(event); // a second, separate delivery: another send, another poll
        await().atMost(PATIENCE).until(() -> metrics.duplicatesCount() == duplicatesBefore + 1);

        List<ClickEvent> rows = clickEvents.findByClickIdIn(List.of(event.clickId()));
        assertThat(rows).hasSize(1);
        ClickEvent row = rows.get(0);
        assertThat(row.getAdId()).isEqualTo(adId);
        assertThat(row.getOccurredAt()).isEqualTo(event.occurredAt());
        assertThat(row.getRelayedAt()).isEqualTo(event.relayedAt());
        assertThat(row.getCostMicros()).isEqualTo(2_500);
        assertThat(dailyStats.findByIdAdIdOrderByIdDay(adId))
                .singleElement()
                .satisfies(stats -> {
                    assertThat(stats.getId().day()).isEqualTo(LocalDate.parse("2026-11-04"));
                    assertThat(stats.getClicks()).isEqualTo(1);
                    assertThat(stats.getSpendMicros()).isEqualTo(2_500);
                });
    }

    @Test
    void aBatchMixingNewAndDuplicateEventsStoresAndCountsEachClickIdOnce() {
        String adId = uniqueAdId();
        AdEvent alreadyStored = event(adId, "2026-11-04T23:59:59.999999Z", 1_000);
        send(alreadyStored);
        await().atMost(PATIENCE).until(() -> clickEvents.findByClickIdIn(List.of(alreadyStored.clickId())).size() == 1);
        long duplicatesBefore = metrics.duplicatesCount();

        AdEvent newSameDay = event(adId, "2026-11-04T08:00:00Z", 200);
        AdEvent newNextDay = event(adId, "2026-11-05T00:00:00Z", 30);
        AdEvent lastOne = event(adId, "2026-11-05T12:00:00Z", 4);
        // same key, sent together: one partition, one producer batch, in practice one poll
        send(List.of(alreadyStored, newSameDay, newNextDay, newNextDay, lastOne));

        await().atMost(PATIENCE).until(() -> metrics.duplicatesCount() == duplicatesBefore + 2);
        await().atMost(PATIENCE).until(() -> clickEvents.findByAdId(adId).size() == 4);

        assertThat(clickEvents.findByAdId(adId)).extracting(ClickEvent::getClickId).containsExactlyInAnyOrder(
                alreadyStored.clickId(), newSameDay.clickId(), newNextDay.clickId(), lastOne.clickId());
        assertThat(dailyStats.findByIdAdIdOrderByIdDay(adId))
                .extracting(stats -> stats.getId().day(), AdDailyStats::getClicks, AdDailyStats::getSpendMicros)
                .containsExactly(
                        tuple(LocalDate.parse("2026-11-04"), 2L, 1_200L),
                        tuple(LocalDate.parse("2026-11-05"), 2L, 34L));
    }
}
