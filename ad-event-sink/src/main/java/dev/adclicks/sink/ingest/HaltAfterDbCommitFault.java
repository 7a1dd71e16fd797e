package dev.adclicks.sink.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * TEST AID, off by default: {@code sink.fault.halt-after-db-commit=true} halts this JVM (like
 * SIGKILL) right after the first database transaction that inserted a row has committed, before the
 * container commits the batch's Kafka offsets: the window in which a batch is redelivered although
 * it is stored. The fault lab uses it to hit that window on purpose. Never set it in production.
 *
 * <p>It works in the comparison modes too: at-least-once (same listener, same window) and
 * at-most-once ({@link dev.adclicks.sink.comparison.CommitFirstBatchListener}: after the DB commit,
 * which there is after the offset commit).
 */
@Component
@ConditionalOnProperty(name = "sink.fault.halt-after-db-commit", havingValue = "true")
public class HaltAfterDbCommitFault {

    private static final Logger log = LoggerFactory.getLogger(HaltAfterDbCommitFault.class);

    HaltAfterDbCommitFault() {
        log.warn("FAULT INJECTION ON: the JVM halts after the first DB commit that inserts a row, before its offset commit");
    }

    /** Called by the listener right after its DB transaction committed; halts if it inserted a row. */
    public void afterDbCommit(int inserted) {
        if (inserted > 0) {
            log.warn("FAULT INJECTION: halting after committing {} rows, before committing their offsets", inserted);
            Runtime.getRuntime().halt(137);
        }
    }
}
