// Ingest: the sink that queues decoded requests and commits them to the store in batches.
export { type BatchWriter, StoreSink, type StoreSinkOptions } from './store-sink.ts';
