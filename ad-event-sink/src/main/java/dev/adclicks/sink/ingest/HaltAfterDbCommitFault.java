package dev.adclicks.sink.ingest;

import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * TEST AID, off by default: halts this JVM (like SIGKILL) right after a database transaction that
 * inserted a row has committed, before the container commits the batch's Kafka offsets: the window
 * in which a batch is redelivered although it is stored. The fault lab uses it to hit that window on
 * purpose. Never set it in production. Either of two properties makes it a bean:
 *
 * <ul>
 * <li>{@code sink.fault.halt-after-db-commit=true}: halts after the first such transaction;</li>
 * <li>{@code sink.fault.halt-after-db-commit-trigger-file=<path>}: armed only while that file exists,
 *     so a running sink can be made to halt by creating it. The fault lab starts every sink with one:
 *     halting a sink that is already up costs one restart, not two.</li>
 * </ul>
 *
 * <p>It works in the comparison modes too: at-least-once (same listener, same window) and
 * at-most-once ({@link dev.adclicks.sink.comparison.CommitFirstBatchListener}: after the DB commit,
 * which there is after the offset commit).
 */
@Component
@ConditionalOnExpression("'${sink.fault.halt-after-db-commit:false}' == 'true'"
        + " or '${sink.fault.halt-after-db-commit-trigger-file:}' != ''")
public class HaltAfterDbCommitFault {

    private static final Logger log = LoggerFactory.getLogger(HaltAfterDbCommitFault.class);

    private final Path triggerFile; // null: always armed

    HaltAfterDbCommitFault(Environment environment) {
        String trigger = environment.getProperty("sink.fault.halt-after-db-commit-trigger-file");
        this.triggerFile = trigger == null ? null : Path.of(trigger);
        if (triggerFile == null) {
            log.warn("FAULT INJECTION ON: the JVM halts after the first DB commit that inserts a row, before its "
                    + "offset commit");
        }
        else {
            log.warn("FAULT INJECTION ON: once {} exists, the JVM halts after the next DB commit that inserts a row, "
                    + "before its offset commit", triggerFile);
        }
    }

    /** Called by the listener right after its DB transaction committed; halts if it inserted a row. */
    public void afterDbCommit(int inserted) {
        if (inserted > 0 && (triggerFile == null || Files.exists(triggerFile))) {
            log.warn("FAULT INJECTION: halting after committing {} rows, before committing their offsets", inserted);
            Runtime.getRuntime().halt(137);
        }
    }
}
