package dev.adclicks.lab;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import dev.adclicks.infra.PipelineInfrastructure;

/**
 * The README's run command: starts real Kafka and MySQL (no Docker needed), the three services as
 * processes, sends clicks over HTTP (some twice, as a retrying client would), waits for the
 * pipeline to drain and prints what arrived at each stage.
 *
 * <pre>./run-pipeline [clicks] [resend-share]     e.g. ./run-pipeline 5000 0.1</pre>
 */
public final class PipelineRun {

    private PipelineRun() {
    }

    public static void main(String[] args) {
        int clicks = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        double resendShare = args.length > 1 ? Double.parseDouble(args[1]) : 0.05;
        Path workDir = Paths.get(System.getProperty("lab.work.dir", "pipeline-lab/target/run"));
        boolean exactlyOnce;

        say("Starting Kafka and MySQL ...");
        try (PipelineInfrastructure infra = PipelineInfrastructure.start()) {
            say("  %s backend: Kafka %s, MySQL %s", infra.backend(), infra.kafkaBootstrapServers(), infra.jdbcUrl());
            say("Starting ad-click-producer, ad-event-relay, ad-event-sink (logs in %s) ...", workDir.toAbsolutePath());
            try (Pipeline pipeline = Pipeline.start(infra, workDir)) {
                pipeline.services().forEach(service -> say("  %-18s pid %-7d http://127.0.0.1:%d", service.name(),
                        service.pid(), service.port()));
                String adPrefix = "ad-" + UUID.randomUUID().toString().substring(0, 8) + "-";
                say("Sending %,d clicks, %.0f%% of them a second time with the same clickId ...", clicks,
                        resendShare * 100);
                ClickLoad.Result load = new ClickLoad(pipeline.producer()).send(adPrefix, clicks, resendShare,
                        System.nanoTime(), sent -> {
                            if (sent % 1000 < 250) {
                                say("  sent %,d", sent);
                            }
                        });
                say("  %,d sends, %,d acknowledged (202) in %d ms; %d failed batches", load.sends(),
                        load.acknowledged().size(), load.elapsed().toMillis(), load.failures().size());

                PipelineVerifier verifier = new PipelineVerifier(infra);
                say("Waiting for the pipeline to drain ...");
                Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
                while (verifier.rowsStored(adPrefix) < load.distinctAcknowledged() && Instant.now().isBefore(deadline)) {
                    ServiceProcess.sleep(500);
                }
                PipelineVerifier.Report report = verifier.verify(adPrefix, load.acknowledged());
                System.out.println();
                System.out.print(report.table());
                exactlyOnce = report.exactlyOnce();
                System.out.println();
                System.out.println(exactlyOnce
                        ? String.format("VERDICT: exactly once. %,d distinct clicks acknowledged -> %,d rows in MySQL,"
                                + " nothing lost, nothing doubled.", load.distinctAcknowledged(), report.rows())
                        : "VERDICT: NOT exactly once - see the table above and the service logs in " + workDir);
            }
        }
        System.exit(exactlyOnce ? 0 : 1);
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(format, args));
    }
}
