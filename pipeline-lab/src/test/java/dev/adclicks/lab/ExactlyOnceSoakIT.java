package dev.adclicks.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.adclicks.infra.PipelineInfrastructure;
import dev.adclicks.lab.PipelineVerifier.Report;

/**
 * Soak (profile {@code soak}, not part of the default build): 100,000 clicks, 10 kills each of relay and sink, two broker restarts,
 * a 10 s MySQL outage, lost acks and a zombie. {@code ./mvnw -Psoak verify -pl pipeline-lab -am}
 */
class ExactlyOnceSoakIT {

    @Test
    void exactlyOnceHoldsAtSoakScale() {
        Path workDir = Paths.get(System.getProperty("lab.work.dir", "target/lab"), "soak");
        try (PipelineInfrastructure infra = PipelineInfrastructure.startLocalCluster()) {
            FaultScenario.Outcome outcome = FaultScenario.run(infra, workDir, "exactly-once", FaultScenario.Plan.soak(),
                    System.out::println);
            LabReport.write(workDir, List.of(outcome));
            Report report = outcome.report();
            System.out.print(report.table());

            assertThat(outcome.faults()).hasSize(FaultScenario.Plan.soak().steps().size());
            assertThat(outcome.load().distinctAcknowledged()).isEqualTo(100_000);
            assertThat(report.layers()).allSatisfy(layer -> {
                assertThat(layer.lost()).as("%s lost", layer.name()).isZero();
                assertThat(layer.duplicated()).as("%s duplicated", layer.name()).isZero();
            });
            assertThat(report.abortedReads()).isZero();
            assertThat(report.exactlyOnce()).isTrue();
        }
    }
}
