package dev.adclicks.relay.transaction;

import static dev.adclicks.relay.RelayTestSupport.INFRA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.admin.TransactionState;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import dev.adclicks.relay.AdEventRelayApplication;
import dev.adclicks.relay.RelayTestSupport;

/**
 * The packaged service's start ({@link AdEventRelayApplication#application()}, what {@code main}
 * runs) begins the relay's first {@code initTransactions()} once its configuration is read, and the
 * relay's first session takes that producer ({@link FencingAtLaunch}). A crashed incarnation's
 * open transaction is aborted before any {@code SmartLifecycle} starts. The test fails without
 * {@link FencingAtLaunch} in {@code application()}: no such fencing is registered.
 *
 * <p>Not a {@code @SpringBootTest}: that would build its own application, without {@code main}'s
 * listener; here the Kafka address is passed as the arguments a deployment passes.
 */
class FencingAtLaunchIT {

    @Test
    void thePackagedServiceFencesAtLaunchAndItsFirstSessionUsesThatProducer() {
        String instanceId = "launch-it";
        RelayTestSupport.createTopics();
        List<String> args = new ArrayList<>();
        INFRA.springProperties().forEach((name, value) -> args.add("--" + name + "=" + value));
        args.addAll(List.of("--relay.instance-id=" + instanceId, "--relay.group-id=" + instanceId,
                "--spring.main.web-application-type=none", "--relay.warm-up-clicks=1000",
                "--relay.warm-up-transactions=1"));
        args.add("--" + FirstToStartConfig.ID + "=ad-event-relay-" + instanceId);
        try (RelayRestartIT.CrashedIncarnation crashed = new RelayRestartIT.CrashedIncarnation(
                "ad-event-relay-" + instanceId)) {
            SpringApplication application = AdEventRelayApplication.application();
            application.addPrimarySources(List.of(FirstToStartConfig.class));
            try (ConfigurableApplicationContext context = application.run(args.toArray(String[]::new))) {
                EarlyFencing atLaunch = context.getBean(FencingAtLaunch.BEAN_NAME, EarlyFencing.class);
                TransactionalRelay relay = context.getBean(TransactionalRelay.class);

                assertThat(context.getBean(RelayRestartIT.FirstToStart.class).stateBeforeTheRelayStarted)
                        .isIn(TransactionState.EMPTY, TransactionState.COMPLETE_ABORT);
                await().atMost(Duration.ofSeconds(60)).until(() -> relay.health().getStatus(), Status.UP::equals);
                assertThat(atLaunch.takeProducer()).as("taken by the relay's first session").isEmpty();
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FirstToStartConfig {

        static final String ID = "fencing-at-launch-it.transactional-id";

        @Bean
        RelayRestartIT.FirstToStart firstToStart(Environment environment) {
            return new RelayRestartIT.FirstToStart(environment.getRequiredProperty(ID));
        }
    }
}
