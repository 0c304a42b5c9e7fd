/**
 * Where identity-document files live: a local directory (`LocalStorage`) or an S3-compatible
 * bucket (`S3Storage`). Content arrives already encrypted.
 */
export interface DocumentStorage {
  put(key: string, content: Buffer): Promise<void>;
  get(key: string): Promise<Buffer>;
  /** Deleting a missing key succeeds, so purging can be retried. */
  delete(key: string): Promise<void>;
  /** Keys of the files last written before `before`, for finding files no record points to. */
  keysWrittenBefore(before: Date): AsyncIterable<string>;
}

/** The store does not answer (down, unreachable, timing out): nothing was written, and trying later may work. */
export class StorageUnavailable extends Error {
  readonly retryable = true;
}
