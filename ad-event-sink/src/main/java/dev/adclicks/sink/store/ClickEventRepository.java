package dev.adclicks.sink.store;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.springframework.data.repository.Repository;

/** Reads stored events. Read-only on purpose: see {@link InsertIfAbsentEventWriter}. */
public interface ClickEventRepository extends Repository<ClickEvent, Long> {

    long count();

    List<ClickEvent> findByClickIdIn(Collection<UUID> clickIds);

    List<ClickEvent> findByAdId(String adId);
}
