package dev.adclicks.producer.clicks;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaProducerException;
import org.springframework.kafka.support.SendResult;

import dev.adclicks.model.AdClick;
import dev.adclicks.model.Topics;
import dev.adclicks.producer.clicks.IdempotentClickPublisher.Outcome;

import static org.assertj.core.api.Assertions.assertThat;

/** Every way a send can end, decided on completed (or never-completing) futures: no broker needed. */
class IdempotentClickPublisherAwaitAckTest {

    private static final AdClick CLICK = new AdClick(UUID.fromString("0192f7a0-0000-7000-8000-000000000001"),
            "ad-1", "campaign-1", "user-1", Instant.parse("2026-11-21T10:15:30Z"));

    @Test
    void acknowledgedSendReportsWhereTheClickIs() {
        RecordMetadata metadata = new RecordMetadata(new TopicPartition(Topics.AD_CLICKS, 2), 41, 0, 0L, 4, 100);
        var ack = CompletableFuture.completedFuture(
                new SendResult<>(new ProducerRecord<>(Topics.AD_CLICKS, CLICK.adId(), CLICK), metadata));

        Outcome outcome = IdempotentClickPublisher.awaitAck(CLICK, ack, System.nanoTime());

        assertThat(outcome).isEqualTo(new Outcome.Acked(new PublishedClick(CLICK.clickId(), Topics.AD_CLICKS, 2, 41)));
    }

    @Test
    void sendStillPendingAtTheDeadlineIsAnAckTimeout() {
        CompletableFuture<SendResult<String, AdClick>> neverAcked = new CompletableFuture<>();

        Outcome outcome = IdempotentClickPublisher.awaitAck(CLICK, neverAcked, System.nanoTime());

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class,
                failed -> assertThat(failed.reason()).isEqualTo(FailureReason.ACK_TIMEOUT));
    }

    @Test
    void producerGivingUpIsAKafkaTimeout() {
        var expired = CompletableFuture.<SendResult<String, AdClick>>failedFuture(new KafkaProducerException(
                new ProducerRecord<>(Topics.AD_CLICKS, CLICK.adId(), CLICK), "Failed to send",
                new TimeoutException("Topic ad-clicks not present in metadata after 500 ms.")));

        Outcome outcome = IdempotentClickPublisher.awaitAck(CLICK, expired, System.nanoTime());

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class,
                failed -> assertThat(failed.reason()).isEqualTo(FailureReason.KAFKA_TIMEOUT));
    }

    @Test
    void otherProducerErrorsAreKafkaErrors() {
        var rejected = CompletableFuture.<SendResult<String, AdClick>>failedFuture(
                new RecordTooLargeException("too large"));

        Outcome outcome = IdempotentClickPublisher.awaitAck(CLICK, rejected, System.nanoTime());

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class,
                failed -> assertThat(failed.reason()).isEqualTo(FailureReason.KAFKA_ERROR));
    }
}
