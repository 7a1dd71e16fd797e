package dev.adclicks.relay.transaction;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The relay's Kafka settings that carry a guarantee.
 *
 * @param instanceId identity of this running instance, unique among the running instances and
 *        the same after a restart: the transactional.id is derived from it, so on restart
 *        {@code initTransactions()} aborts this instance's own leftover transaction at once
 *        instead of leaving read_committed consumers stalled until {@code transactionTimeout}
 * @param groupId the consumer group; its offsets are only ever committed inside transactions
 * @param pollTimeout how long one poll waits for records
 * @param maxPollRecords upper bound of one batch, i.e. of one transaction: large, because each
 *        transaction costs a few round trips and some broker work whatever its size (under light load
 *        a poll returns what is there, so transactions stay small and fast; docs/performance.md)
 * @param transactionTimeout how long the broker keeps an open transaction of a stalled (paused,
 *        cut-off) instance before aborting it; read_committed readers of ad-events wait at most this
 * @param retryInitialInterval first pause after an aborted transaction
 * @param retryMaxInterval longest pause between attempts while transactions keep aborting
 * @param partitions partitions of the topics the relay writes, when it creates them
 */
@ConfigurationProperties("relay")
public record RelayProperties(
        @DefaultValue("relay-1") String instanceId,
        @DefaultValue("ad-event-relay") String groupId,
        @DefaultValue("200ms") Duration pollTimeout,
        @DefaultValue("20000") int maxPollRecords,
        @DefaultValue("15s") Duration transactionTimeout,
        @DefaultValue("100ms") Duration retryInitialInterval,
        @DefaultValue("5s") Duration retryMaxInterval,
        @DefaultValue("3") int partitions) {

    public String transactionalId() {
        return "ad-event-relay-" + instanceId;
    }
}
