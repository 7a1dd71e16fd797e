package dev.adclicks.relay.transaction;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationContextInitializedEvent;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Profiles;

/**
 * Begins the exactly-once relay's {@link EarlyFencing} as soon as the packaged service has read its
 * configuration, before Spring builds a single bean, and hands it to {@link TransactionalRelay} as
 * a bean: sooner than the relay's own bean could begin it, about 2 s into a restarted process in
 * the lab (docs/recovery.md, "Fencing while the application starts").
 *
 * <p>Added in {@code AdEventRelayApplication.main}, so the packaged service (the lab's, compose's)
 * has it and an integration test's context does not: a test's Kafka address is known only once
 * its context registers it ({@code RealServers}), and there {@link TransactionalRelay} begins the
 * fencing when its bean is built. The producer is built from {@code spring.kafka.*} and
 * {@code relay.*} as bound here, by the same {@link RelayKafkaClients} as every later session's
 * (the relay checks that the transactional.id is its own).
 *
 * <p>What it changes for a copy started by mistake with a running relay's instance id: the copy
 * fences the running relay even if its own start then fails (a taken port, a bad setting), where
 * before only a copy that got as far as its relay's thread did. Fenced twice within
 * {@code relay.fenced-again-within}, the running relay stops for good, as before
 * ({@link TransactionalRelay#stopsOn}).
 */
public final class FencingAtLaunch implements ApplicationListener<SpringApplicationEvent> {

    /** The name of the bean it registers; {@link TransactionalRelay} finds it by its type. */
    static final String BEAN_NAME = "relayFencingAtLaunch";

    private EarlyFencing fencing;

    private FencingAtLaunch() {
    }

    public static void addTo(SpringApplication application) {
        application.addListeners(new FencingAtLaunch());
    }

    @Override
    public void onApplicationEvent(SpringApplicationEvent event) {
        if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
            ConfigurableEnvironment environment = prepared.getEnvironment();
            if (!environment.acceptsProfiles(Profiles.of(TransactionalRelay.PROFILE))) {
                return; // a comparison mode of the lab: no transactions, nothing to fence
            }
            Binder binder = Binder.get(environment);
            RelayProperties relay = binder.bindOrCreate("relay", RelayProperties.class);
            if (!relay.fenceWhileStarting()) {
                return;
            }
            RelayKafkaClients clients = new RelayKafkaClients(binder.bindOrCreate("spring.kafka", KafkaProperties.class),
                    relay);
            fencing = new EarlyFencing(relay.transactionalId(), clients::transactionalProducer);
            fencing.start();
        }
        else if (event instanceof ApplicationContextInitializedEvent initialized && fencing != null) {
            initialized.getApplicationContext().getBeanFactory().registerSingleton(BEAN_NAME, fencing);
        }
        else if (event instanceof ApplicationFailedEvent && fencing != null) {
            fencing.close(); // the start failed, perhaps before the relay's bean (which closes it) existed
        }
    }
}
