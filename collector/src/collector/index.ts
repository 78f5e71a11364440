// The assembled collector and the helpers its command line uses.

export { DatabaseLockedError } from '../store/writer-lock.ts';
export {
  type CollectorOptions,
  type CollectorRetentionOptions,
  DEFAULT_QUEUE_LIMIT_BYTES,
  type RunningCollector,
  startCollector,
} from './start-collector.ts';
export { formatBytes, parseByteSize, parseDuration } from './units.ts';
