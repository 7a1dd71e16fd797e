package dev.adclicks.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.adclicks.infra.PipelineInfrastructure;
import dev.adclicks.lab.PipelineVerifier.Report;

/**
 * Soak (profile {@code soak}, not part of the default build), once per consumer group protocol,
 * each on a fresh three-broker cluster: 100,000 clicks; 10 kills each of relay and sink (some
 * halting mid-window), lost acks, a zombie, a 10 s MySQL outage; on the brokers a rolling hard
 * bounce of all three, the leaders of ad-clicks and ad-events killed, the transaction coordinator
 * killed, two brokers down at once and a leader killed before replication.
 * {@code ./mvnw -Psoak verify -pl pipeline-lab -am}
 */
class ExactlyOnceSoakIT {

    @ParameterizedTest(name = "group.protocol={0}")
    @ValueSource(strings = { Pipeline.CLASSIC, Pipeline.CONSUMER })
    void exactlyOnceHoldsAtSoakScale(String groupProtocol) {
        Path workDir = Paths.get(System.getProperty("lab.work.dir", "target/lab"), "soak-" + groupProtocol);
        try (PipelineInfrastructure infra = PipelineInfrastructure.startLocalCluster()) {
            FaultScenario.Outcome outcome = FaultScenario.run(infra, workDir, "exactly-once", groupProtocol,
                    FaultScenario.Plan.soak(), System.out::println);
            LabReport.write(workDir, List.of(outcome));
            Report report = outcome.report();
            System.out.print(report.table());

            assertThat(outcome.faults()).hasSize(FaultScenario.Plan.soak().steps().size());
            assertThat(outcome.faults()).extracting(FaultScenario.FaultEvent::fault).contains(Fault.ROLLING_BOUNCE,
                    Fault.TWO_BROKERS_DOWN, Fault.COORDINATOR_KILL, Fault.UNREPLICATED_LEADER_KILL);
            assertThat(outcome.load().distinctAcknowledged()).isGreaterThanOrEqualTo(100_000);
            assertThat(report.layers()).allSatisfy(layer -> {
                assertThat(layer.lost()).as("%s lost", layer.name()).isZero();
                assertThat(layer.duplicated()).as("%s duplicated", layer.name()).isZero();
            });
            assertThat(report.abortedReads()).isZero();
            assertThat(report.outOfOrder()).isZero();
            assertThat(outcome.exactlyOnce()).isTrue();
        }
    }
}
