package dev.adclicks.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.adclicks.infra.PipelineInfrastructure;
import dev.adclicks.lab.FaultScenario.FaultEvent;
import dev.adclicks.lab.PipelineVerifier.Report;

/**
 * The short fault scenario of every build, on the three-broker cluster (RF 3, min ISR 2): 20,000
 * clicks while the relay is killed twice (once inside a transaction), the sink twice (once
 * between its DB commit and its offset commit), three produce acks are lost, a paused relay
 * wakes up as a zombie, MySQL is down for 10 s, the leader of an ad-clicks partition is killed
 * (SIGKILL) and restarted. Exactly-once must hold at every
 * layer, with no transaction left open, each adId's events in the order of its clicks, and for a
 * read_committed reader running during the faults. Needs the local backend: its fault proxies and
 * broker processes it can kill.
 */
class ExactlyOnceUnderFaultsIT {

    private static PipelineInfrastructure infra;

    @BeforeAll
    static void startServers() {
        infra = PipelineInfrastructure.sharedCluster(); // authenticated (SASL/SCRAM); the ACLs: KafkaAccess
    }

    @Test
    void nothingIsLostOrDuplicatedAtAnyLayerUnderFaults() {
        Path workDir = Paths.get(System.getProperty("lab.work.dir", "target/lab"), "faults");
        FaultScenario.Outcome outcome = FaultScenario.run(infra, workDir, "exactly-once", FaultScenario.Plan.ci(),
                System.out::println);
        LabReport.write(workDir, List.of(outcome));
        Report report = outcome.report();
        System.out.print(report.table());
        System.out.print(FaultCost.table(outcome.faultCosts())); // measured, not asserted: what each fault cost

        List<Fault> injected = outcome.faults().stream().map(FaultEvent::fault).toList();
        assertThat(injected).filteredOn(f -> f == Fault.RELAY_KILL || f == Fault.RELAY_HALT_IN_TRANSACTION).hasSize(2);
        assertThat(injected).contains(Fault.RELAY_HALT_IN_TRANSACTION, Fault.SINK_HALT_AFTER_DB_COMMIT, Fault.ACK_LOSS,
                Fault.ZOMBIE_RELAY, Fault.MYSQL_OUTAGE, Fault.LEADER_KILL_CLICKS);
        assertThat(injected).filteredOn(f -> f == Fault.SINK_KILL || f == Fault.SINK_HALT_AFTER_DB_COMMIT).hasSize(2);
        int cuts = infra.kafkaCluster().orElseThrow().brokers().stream()
                .mapToInt(broker -> broker.clientProxy().orElseThrow().cutsDone()).sum();
        assertThat(cuts).as("acks lost through the brokers' proxies").isGreaterThanOrEqualTo(3);

        // 20,000 clicks, and more while faults were still pending (the load outlasts the last fault)
        assertThat(outcome.load().distinctAcknowledged()).isGreaterThanOrEqualTo(20_000);
        assertThat(report.layers()).allSatisfy(layer -> {
            assertThat(layer.lost()).as("%s lost", layer.name()).isZero();
            assertThat(layer.duplicated()).as("%s duplicated", layer.name()).isZero();
        });
        assertThat(report.rows()).isEqualTo(outcome.load().distinctAcknowledged());
        assertThat(report.abortedRecords()).as("the halted relay left aborted records behind").isPositive();
        assertThat(report.abortedReads()).isZero();
        assertThat(report.outOfOrder()).as("adIds whose events are out of the order of their clicks").isZero();
        assertThat(report.live().duplicates()).as("duplicates read by the live read_committed reader").isZero();
        assertThat(report.live().abortedReads()).as("uncommitted records read by the live reader").isZero();
        assertThat(report.live().recordsRead()).as("committed events of the run read by the live reader")
                .isEqualTo(report.committedEvents()).isPositive();
        assertThat(report.aggregateClicks()).isEqualTo(report.rows());
        assertThat(report.aggregateSpendMicros()).isEqualTo(report.rowCostMicros());
        assertThat(report.absorbedBySink()).as("re-sent clicks and redeliveries were absorbed").isPositive();
        assertThat(outcome.settled()).as("no open transaction, both groups consumed to the end").isTrue();
        assertThat(report.exactlyOnce()).isTrue();
        assertThat(outcome.exactlyOnce()).isTrue();
    }
}
