package dev.adclicks.relay.transaction;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * TEST AID in the main code, off by default: {@code relay.fault.stall-in-transaction=25s} stalls the
 * relay's thread once, for that long, in its first transaction that sent a record: after its offsets
 * joined the transaction and its outputs were flushed, before the commit (see
 * {@link TransactionFaultHook}); {@code relay.fault.stall-in-transaction-times=2} does so in the
 * first two such transactions. It is a long stop-the-world pause with a transaction open, but the
 * consumer's heartbeats go on, so the group does not move on. Longer than
 * {@code relay.transaction-timeout} (plus the broker's check interval for timed-out transactions,
 * 10 s by Kafka's default, 1 s on the brokers of the lab and the tests), the transaction
 * coordinator aborts the transaction and bumps the producer's epoch meanwhile: the relay's commit
 * then meets an application-recoverable error. {@code RelayFailoverIT} and
 * {@code RelayTimedOutTransactionIT} use it. Not together with {@code relay.fault.halt-in-transaction-*}
 * (one hook at a time). Never set it in production.
 */
@Component
@ConditionalOnProperty(name = "relay.fault.stall-in-transaction")
class StallInTransactionFault implements TransactionFaultHook {

    private static final Logger log = LoggerFactory.getLogger(StallInTransactionFault.class);

    private final Duration stall;
    private final AtomicInteger stallsLeft;

    StallInTransactionFault(Environment environment) {
        this.stall = environment.getRequiredProperty("relay.fault.stall-in-transaction", Duration.class);
        this.stallsLeft = new AtomicInteger(environment.getProperty("relay.fault.stall-in-transaction-times", Integer.class, 1));
        log.warn("FAULT INJECTION ON: the relay stalls for {} in its first {} transaction(s), before the commit", stall,
                stallsLeft.get());
    }

    @Override
    public void afterSendsBeforeCommit(int recordsSent) {
        if (recordsSent > 0 && stallsLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            log.warn("FAULT INJECTION: stalling for {} with the transaction open, {} records sent", stall, recordsSent);
            try {
                Thread.sleep(stall.toMillis());
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            log.warn("FAULT INJECTION: stall over, committing");
        }
    }
}
