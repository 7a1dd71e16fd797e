package dev.adclicks.sink;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.springframework.data.repository.Repository;

import dev.adclicks.sink.store.ClickEvent;

/**
 * The tests' look into {@code click_event}. A test-only Spring Data repository: the service itself
 * only counts the rows ({@link dev.adclicks.sink.store.ClickEventRepository}); Boot finds this one
 * because it sits in the application's package.
 */
public interface StoredClickEvents extends Repository<ClickEvent, Long> {

    long count();

    List<ClickEvent> findByClickIdIn(Collection<UUID> clickIds);

    List<ClickEvent> findByAdId(String adId);
}
