package dev.adclicks.relay.transaction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * TEST AID in the main code, off by default: {@code relay.fault.halt-in-transaction-after-sends=N}
 * halts this JVM (like SIGKILL: no shutdown hooks, no abort) in the first transaction that has sent
 * at least N records, after its offsets joined the transaction and its outputs were flushed, before
 * the commit (see {@link TransactionFaultHook}). Random kill times rarely hit that window; the fault
 * lab's {@code RELAY_HALT_IN_TRANSACTION} uses this to hit it on purpose. Never set it in production.
 *
 * <p>In the comparison modes it halts {@code dev.adclicks.relay.comparison.NonTransactionalRelay}
 * at the point where that relay calls the hook: at-least-once with the batch sent but its offsets
 * not committed, at-most-once with its offsets committed and its sends possibly unflushed.
 */
@Component
@ConditionalOnProperty(name = "relay.fault.halt-in-transaction-after-sends")
class HaltInTransactionFault implements TransactionFaultHook {

    private static final Logger log = LoggerFactory.getLogger(HaltInTransactionFault.class);

    private final int afterSends;

    HaltInTransactionFault(Environment environment) {
        this.afterSends = environment.getRequiredProperty("relay.fault.halt-in-transaction-after-sends", Integer.class);
        log.warn("FAULT INJECTION ON: the JVM halts at the fault point of the first batch with {} or more records sent",
                afterSends);
    }

    @Override
    public void afterSendsBeforeCommit(int recordsSent) {
        if (recordsSent >= afterSends) {
            log.warn("FAULT INJECTION: halting at the relay's fault point, {} records sent", recordsSent);
            Runtime.getRuntime().halt(137);
        }
    }
}
