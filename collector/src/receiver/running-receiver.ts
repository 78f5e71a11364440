/** A started receiver. */
export interface RunningReceiver {
  /** The port actually bound (useful when 0 was asked for). */
  readonly port: number;
  /** Stops accepting connections; resolves once in-flight exports have been answered. */
  close(): Promise<void>;
}
