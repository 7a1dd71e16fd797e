package dev.adclicks.sink.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.adclicks.model.AdClick;
import dev.adclicks.model.AdEvent;
import dev.adclicks.sink.SinkIntegrationTest;

/** The writer alone, called with exactly the batches a test wants, against the real database. */
class InsertIfAbsentEventWriterIT extends SinkIntegrationTest {

    @Autowired
    private InsertIfAbsentEventWriter writer;

    @Autowired
    private PlatformTransactionManager transactions;

    @Autowired
    private JdbcTemplate jdbc;

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

    @Test
    void anIdLongerThanItsColumnFailsTheWholeBatchInsteadOfBeingTruncated() {
        // why AdEventReader dead-letters such an event before it reaches the writer
        String adId = uniqueAdId();
        AdEvent fine = event(adId, "2026-11-04T10:00:00Z", 1);
        AdEvent tooLong = new AdEvent(UUID.randomUUID(), adId, "campaign-1", "u".repeat(AdClick.MAX_ID_LENGTH + 1),
                Instant.parse("2026-11-04T10:00:01Z"), 1, Instant.parse("2026-11-04T10:00:02Z"));

        assertThatThrownBy(() -> writer.write(List.of(fine, tooLong)))
                .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining("Data too long");

        assertThat(clickEvents.findByAdId(adId)).isEmpty();
        assertThat(dailyStats.findByIdAdIdOrderByIdDay(adId)).isEmpty();
    }

    @Test
    void aWriterRacingAnotherForTheSameClickFailsOnTheUniqueKeyInsteadOfStoringItTwice() throws Exception {
        String adId = uniqueAdId();
        AdEvent event = event(adId, "2026-11-04T10:00:00Z", 5);
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        CountDownLatch firstInserted = new CountDownLatch(1);
        CountDownLatch commitFirst = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            // writer 1 stores the click, and holds its transaction open
            Future<WriteResult> first = threads.submit(() -> transaction.execute(status -> {
                WriteResult result = writer.write(List.of(event));
                firstInserted.countDown();
                awaitLatch(commitFirst);
                return result;
            }));
            assertThat(firstInserted.await(30, TimeUnit.SECONDS)).isTrue();
            // writer 2 (a second sink instance during a rebalance) does not see the uncommitted row...
            Future<WriteResult> second = threads.submit(() -> writer.write(List.of(event)));
            // ...and its INSERT waits on UNIQUE(click_id) for writer 1's transaction
            await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                    "SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'", Integer.class) > 0);
            commitFirst.countDown();

            assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(new WriteResult(1, 0));
            assertThatThrownBy(() -> second.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(DuplicateKeyException.class);
        }
        finally {
            commitFirst.countDown();
            threads.shutdownNow();
        }
        // stored and counted once; the failed batch, retried, finds the click stored
        assertThat(clickEvents.findByAdId(adId)).hasSize(1);
        assertThat(writer.write(List.of(event))).isEqualTo(new WriteResult(0, 1));
        assertThat(dailyStats.findByIdAdIdOrderByIdDay(adId)).singleElement()
                .extracting(AdDailyStats::getClicks).isEqualTo(1L);
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
