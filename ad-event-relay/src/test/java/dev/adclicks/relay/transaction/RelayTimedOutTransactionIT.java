package dev.adclicks.relay.transaction;

import static dev.adclicks.relay.RelayTestSupport.click;
import static dev.adclicks.relay.RelayTestSupport.events;
import static dev.adclicks.relay.RelayTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import dev.adclicks.infra.RealServers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * A relay without a twin whose transactions the coordinator aborts after their timeout, twice
 * within {@code relay.fenced-again-within}: its first two transactions with records stall for 5 s
 * before their commit ({@code relay.fault.stall-in-transaction}), past the 2 s transaction timeout
 * and the brokers' 1 s check, so the coordinator aborts each and bumps the producer's epoch. Both
 * times the relay meets an outdated epoch, as it would if a twin had fenced it; it must start a new
 * session each time and carry on, not stop for good ({@link TransactionalRelay#stopsOn}; a twin that
 * fences it twice stops it: {@code RelayFencingIT}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "relay.instance-id=timed-out-it", "relay.group-id=timed-out-it", "relay.transaction-timeout=2s",
        "relay.fault.stall-in-transaction=5s", "relay.fault.stall-in-transaction-times=2" })
@Import(RealServers.class)
@DirtiesContext
class RelayTimedOutTransactionIT {

    @Autowired
    private TransactionalRelay relay;

    @Autowired
    private MeterRegistry meters;

    @Test
    void twoTransactionsAbortedAfterTheirTimeoutDoNotStopTheRelay() {
        String adId = "ad-" + UUID.randomUUID();
        send(List.of(click(adId)));

        // two stalled transactions, each aborted by the coordinator; the third commits
        await().atMost(Duration.ofSeconds(90)).until(() -> events(IsolationLevel.READ_COMMITTED, adId).size() == 1
                || relay.health().getStatus().equals(Status.DOWN));
        assertThat(relay.health().getStatus()).as("no twin: the relay carries on").isEqualTo(Status.UP);
        assertThat(relay.isRunning()).isTrue();
        assertThat(meters.find("relay.errors").tag("reaction", "recreate").counters().stream()
                .mapToDouble(Counter::count).sum()).as("sessions ended on the coordinator's aborts").isGreaterThanOrEqualTo(2);
        assertThat(events(IsolationLevel.READ_COMMITTED, adId)).hasSize(1);
    }
}
