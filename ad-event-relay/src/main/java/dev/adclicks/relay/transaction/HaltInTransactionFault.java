package dev.adclicks.relay.transaction;

import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * TEST AID in the main code, off by default: halts this JVM (like SIGKILL: no shutdown hooks, no
 * abort) in a transaction that has sent at least N records, after its offsets joined the transaction
 * and its outputs were flushed, before the commit (see {@link TransactionFaultHook}). Random kill
 * times rarely hit that window; the fault lab's {@code RELAY_HALT_IN_TRANSACTION} uses this to hit it
 * on purpose. Never set it in production. Two properties, either of which makes it a bean:
 *
 * <ul>
 * <li>{@code relay.fault.halt-in-transaction-after-sends=N} (default 1): the threshold N;</li>
 * <li>{@code relay.fault.halt-in-transaction-trigger-file=<path>}: armed only while that file exists,
 *     so a running relay can be made to halt by creating it. The fault lab starts every relay with
 *     one: halting a relay that is already up costs one restart, not two.</li>
 * </ul>
 * Without a trigger file it halts in the first such transaction.
 *
 * <p>In the comparison modes it halts {@code dev.adclicks.relay.comparison.NonTransactionalRelay}
 * at the point where that relay calls the hook: at-least-once with the batch sent but its offsets
 * not committed, at-most-once with its offsets committed and its sends possibly unflushed.
 */
@Component
@ConditionalOnExpression("'${relay.fault.halt-in-transaction-after-sends:}' != ''"
        + " or '${relay.fault.halt-in-transaction-trigger-file:}' != ''")
class HaltInTransactionFault implements TransactionFaultHook {

    private static final Logger log = LoggerFactory.getLogger(HaltInTransactionFault.class);

    private final int afterSends;
    private final Path triggerFile; // null: always armed

    HaltInTransactionFault(Environment environment) {
        this.afterSends = environment.getProperty("relay.fault.halt-in-transaction-after-sends", Integer.class, 1);
        String trigger = environment.getProperty("relay.fault.halt-in-transaction-trigger-file");
        this.triggerFile = trigger == null ? null : Path.of(trigger);
        if (triggerFile == null) {
            log.warn("FAULT INJECTION ON: the JVM halts at the fault point of the first batch with {} or more "
                    + "records sent", afterSends);
        }
        else {
            log.warn("FAULT INJECTION ON: once {} exists, the JVM halts at the fault point of the next batch with {} "
                    + "or more records sent", triggerFile, afterSends);
        }
    }

    @Override
    public void afterSendsBeforeCommit(int recordsSent) {
        if (recordsSent >= afterSends && (triggerFile == null || Files.exists(triggerFile))) {
            log.warn("FAULT INJECTION: halting at the relay's fault point, {} records sent", recordsSent);
            Runtime.getRuntime().halt(137);
        }
    }
}
