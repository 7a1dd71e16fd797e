package dev.adclicks.lab;

import java.time.Duration;
import java.util.Map;

import dev.adclicks.infra.KafkaFaultProxy;

/** The faults the lab injects, each aimed at one failure window of the pipeline. */
public enum Fault {

    /** SIGKILL the relay at an arbitrary moment under load, then restart it. */
    RELAY_KILL("relay killed (SIGKILL) and restarted") {
        @Override
        void inject(Pipeline pipeline) {
            ServiceProcess relay = pipeline.relay();
            relay.kill();
            relay.start().awaitHealthy();
        }
    },

    /** Restart the relay with its test hook: it halts with a transaction sent but not committed. */
    RELAY_HALT_IN_TRANSACTION("relay halted after its sends and its offsets joined the transaction, before its commit, then restarted") {
        @Override
        void inject(Pipeline pipeline) {
            ServiceProcess relay = pipeline.relay();
            relay.kill();
            relay.start(Map.of("relay.fault.halt-in-transaction-after-sends", "1"));
            relay.awaitExit(Duration.ofMinutes(2));
            relay.start().awaitHealthy();
        }
    },

    /** SIGKILL the sink at an arbitrary moment under load, then restart it. */
    SINK_KILL("sink killed (SIGKILL) and restarted") {
        @Override
        void inject(Pipeline pipeline) {
            ServiceProcess sink = pipeline.sink();
            sink.kill();
            sink.start().awaitHealthy();
        }
    },

    /** Restart the sink with its test hook: it halts after a DB commit, before the offset commit. */
    SINK_HALT_AFTER_DB_COMMIT("sink halted between its DB commit and its offset commit, then restarted") {
        @Override
        void inject(Pipeline pipeline) {
            ServiceProcess sink = pipeline.sink();
            sink.kill();
            sink.start(Map.of("sink.fault.halt-after-db-commit", "true"));
            sink.awaitExit(Duration.ofMinutes(2));
            sink.start().awaitHealthy();
        }
    },

    /** The fault proxy drops the broker's answers to three produce requests of the producer. */
    ACK_LOSS("3 produce acks lost between producer and broker (connection cut after the append)") {
        @Override
        void inject(Pipeline pipeline) {
            KafkaFaultProxy proxy = pipeline.infra().kafkaFaultProxy()
                    .orElseThrow(() -> new IllegalStateException("ACK_LOSS needs the local backend's fault proxy"));
            if (pipeline.options().profile().equals("at-most-once")) {
                return; // acks=0: the broker sends no ack that could be lost
            }
            int before = proxy.cutsDone();
            proxy.cutAfterProduceRequests(3, "ad-click-producer");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (proxy.cutsDone() < before + 3) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("ACK_LOSS: only " + (proxy.cutsDone() - before)
                            + " of 3 produce acks were cut within 60 s: is load flowing through the proxy?");
                }
                ServiceProcess.sleep(100);
            }
        }
    },

    /**
     * SIGSTOP the second relay past its session timeout, so its partitions move to the first, then
     * SIGCONT it: it wakes up mid-transaction as a zombie and must be fenced, not committed.
     */
    ZOMBIE_RELAY("relay 2 paused (SIGSTOP) for 10 s, 4 s past its 6 s session timeout, then resumed as a zombie") {
        @Override
        void inject(Pipeline pipeline) {
            ServiceProcess zombie = pipeline.relays().get(pipeline.relays().size() - 1);
            zombie.pause();
            ServiceProcess.sleep(10_000); // the fault IS the passing of time
            zombie.resume();
            if (!zombie.isHealthy()) {
                // fenced for good (health DOWN) is a correct reaction; an operator restarts it
                ServiceProcess.sleep(2_000);
                if (!zombie.isHealthy()) {
                    zombie.kill();
                    zombie.start().awaitHealthy();
                }
            }
        }
    },

    /** Stop the broker (controlled shutdown) and start it again on the same data and ports. */
    BROKER_RESTART("Kafka broker restarted") {
        @Override
        void inject(Pipeline pipeline) {
            pipeline.infra().stopKafka();
            pipeline.infra().startKafka();
        }
    },

    /** Stop MySQL for 10 s and start it again: the sink must hold its offsets and retry. */
    MYSQL_OUTAGE("MySQL down for 10 s") {
        @Override
        void inject(Pipeline pipeline) {
            pipeline.infra().stopDatabase();
            ServiceProcess.sleep(10_000); // the fault IS the outage
            pipeline.infra().startDatabase();
        }
    };

    private final String description;

    Fault(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    abstract void inject(Pipeline pipeline);
}
