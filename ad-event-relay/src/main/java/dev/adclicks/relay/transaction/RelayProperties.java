package dev.adclicks.relay.transaction;

import java.time.Duration;
import java.util.Objects;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The relay's settings ({@code relay.*}). Their defaults are all in {@code application.yml}, none
 * here: the instance id's default comes from the environment, which only a property placeholder
 * there can express, and one place for every default is easier to read than two.
 *
 * @param instanceId identity of this running instance, unique among the running instances and
 *        the same after a restart: the transactional.id is derived from it, so on restart
 *        {@code initTransactions()} aborts this instance's own leftover transaction at once
 *        instead of leaving read_committed consumers stalled until {@code transactionTimeout}
 * @param groupId the consumer group; in exactly-once mode its offsets are only ever committed
 *        inside transactions
 * @param pollTimeout how long one poll waits for records
 * @param maxPollRecords upper bound of one batch, i.e. of one transaction: large, because each
 *        transaction costs a few round trips and some broker work whatever its size (under light load
 *        a poll returns what is there, so transactions stay small and fast; docs/performance.md)
 * @param transactionTimeout how long the broker keeps an open transaction of a stalled (paused,
 *        cut-off) instance before aborting it; read_committed readers of ad-events wait at most that
 *        long, plus up to the broker's check interval for timed-out transactions (10 s by Kafka's
 *        default, 1 s on the brokers of the lab, the tests and compose)
 * @param retryInitialInterval first pause after an aborted transaction or a failed session
 * @param retryMaxInterval longest pause while transactions keep aborting or sessions keep failing
 * @param fencedAgainWithin a relay whose producer epoch is found outdated a second time within this
 *        stops for good (another live instance uses its transactional.id; see
 *        {@link TransactionalRelay#stopsOn}). An outdated epoch met in a transaction that had been
 *        open for {@code transactionTimeout} or longer is not counted: the coordinator's own abort.
 *        Longer than one round of two twins fencing each other: a fenced relay's transaction can
 *        hang for a request timeout (30 s) before it fails, and the group rebalances each time, so
 *        one round took about a minute in the lab
 * @param closeTimeout how long closing a session's producer and consumer may wait each for their
 *        pending requests ({@link RelayRunner}); a producer cut short leaves its open transaction to
 *        the next session's {@code initTransactions()}. Well under the 30 s that a stop waits for
 *        the relay's thread
 * @param replicationFactor replication factor of the topics the relay creates at start-up when they
 *        are absent ({@code ad-clicks} and the four it writes; names and partitions:
 *        {@link dev.adclicks.model.Topics}); 1 is for a single local broker only
 * @param warmUpClicks how many made-up clicks {@link dev.adclicks.relay.processing.ProcessingWarmUp}
 *        reads, prices and writes before the relay joins its group; 0 for none
 * @param warmUpTransactions how many transactions of made-up events {@link TransactionWarmUp} commits
 *        to {@code ad-event-relay.warm-up} before the relay joins its group; 0 for none
 * @param fenceWhileStarting whether the relay's first {@code initTransactions()} begins while the
 *        application is still starting, on a thread of its own ({@link EarlyFencing}): in the
 *        packaged service once its configuration is read ({@link FencingAtLaunch}), else when the
 *        relay's bean is built. A killed predecessor's open transaction is aborted sooner (in the
 *        lab 1.2-1.5 s on average, at a halt inside a transaction).
 *        Off, it runs on the relay's thread once the application has started. Off in the class
 *        cache's training run, which must not reach for a broker
 */
@ConfigurationProperties("relay")
public record RelayProperties(String instanceId, String groupId, Duration pollTimeout, int maxPollRecords,
        Duration transactionTimeout, Duration retryInitialInterval, Duration retryMaxInterval,
        Duration fencedAgainWithin, Duration closeTimeout, short replicationFactor, int warmUpClicks,
        int warmUpTransactions, boolean fenceWhileStarting) {

    public RelayProperties {
        String unset = " is not set: its default is in the relay's application.yml";
        Objects.requireNonNull(instanceId, "relay.instance-id" + unset);
        Objects.requireNonNull(groupId, "relay.group-id" + unset);
        Objects.requireNonNull(pollTimeout, "relay.poll-timeout" + unset);
        Objects.requireNonNull(transactionTimeout, "relay.transaction-timeout" + unset);
        Objects.requireNonNull(retryInitialInterval, "relay.retry-initial-interval" + unset);
        Objects.requireNonNull(retryMaxInterval, "relay.retry-max-interval" + unset);
        Objects.requireNonNull(fencedAgainWithin, "relay.fenced-again-within" + unset);
        Objects.requireNonNull(closeTimeout, "relay.close-timeout" + unset);
        if (maxPollRecords <= 0 || replicationFactor <= 0) {
            throw new IllegalArgumentException("relay.max-poll-records and relay.replication-factor must be > 0: "
                    + "their defaults are in the relay's application.yml");
        }
        if (warmUpClicks < 0) {
            throw new IllegalArgumentException("relay.warm-up-clicks must be >= 0 (0: no warm-up)");
        }
        if (warmUpTransactions < 0) {
            throw new IllegalArgumentException("relay.warm-up-transactions must be >= 0 (0: no warm-up)");
        }
    }

    public String transactionalId() {
        return "ad-event-relay-" + instanceId;
    }
}
