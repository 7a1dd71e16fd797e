package dev.adclicks.relay.transaction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * TEST AID, off by default: {@code relay.fault.halt-in-transaction-after-sends=N} halts this JVM
 * (like SIGKILL: no shutdown hooks, no abort) inside the first transaction that has sent at least
 * N records, before its offsets are added and it commits. Random kill times rarely hit that
 * window; the fault lab uses this to hit it on purpose. Never set it in production.
 *
 * <p>In the comparison modes it halts {@link NonTransactionalRelay} at the point where that relay
 * calls the hook (see {@link TransactionFaultHook}): at-least-once with the batch sent but its
 * offsets not committed, at-most-once with its offsets committed and its sends possibly unflushed.
 */
@Component
@ConditionalOnProperty(name = "relay.fault.halt-in-transaction-after-sends")
class HaltInTransactionFault implements TransactionFaultHook {

    private static final Logger log = LoggerFactory.getLogger(HaltInTransactionFault.class);

    private final int afterSends;

    HaltInTransactionFault(org.springframework.core.env.Environment environment) {
        this.afterSends = environment.getRequiredProperty("relay.fault.halt-in-transaction-after-sends", Integer.class);
        log.warn("FAULT INJECTION ON: the JVM halts inside the first transaction with {} or more records sent", afterSends);
    }

    @Override
    public void afterSendsBeforeCommit(int recordsSent) {
        if (recordsSent >= afterSends) {
            log.warn("FAULT INJECTION: halting with an open transaction of {} records sent, not committed", recordsSent);
            Runtime.getRuntime().halt(137);
        }
    }
}
