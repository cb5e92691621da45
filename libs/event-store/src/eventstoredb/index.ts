/** The EventStoreDB adapter, an entry of its own so that the embedded default never loads the gRPC client. */
export { EventStoreDbEventStore, fromEventStoreDbPosition, toEventStoreDbPosition, InvalidEventStoreDbPositionError, type EventStoreDbEventStoreOptions } from './eventstoredb-event-store';
