package io.chiplog.testkit;

/**
 * The whole conformance suite for a backend that does not persist across reopening: every
 * contract below. Persistent backends implement {@link PersistentEventStoreContract}.
 */
public interface EventStoreContract
    extends AppendContract,
        QueryContract,
        ReadContract,
        StreamReadContract,
        ExpectedRevisionContract,
        ConditionContract,
        IdempotencyContract,
        SubscriptionContract,
        ConcurrencyContract,
        BadInputContract,
        CloseContract,
        ModelEquivalenceContract {}
