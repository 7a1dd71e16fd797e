package dev.adclicks.infra;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates topics ahead of the clients that use them, as an operator would; existing ones are left as they are. */
public final class TopicAdmin {

    private TopicAdmin() {
    }

    /** As {@code kafka}'s principal: on an authenticated cluster, one allowed to create topics (the admin). */
    public static void createIfAbsent(KafkaConnection kafka, Collection<NewTopic> topics) {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            for (NewTopic topic : topics) {
                try {
                    admin.createTopics(List.of(topic)).all().get();
                }
                catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create " + topic.name(), e.getCause());
                    }
                }
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
