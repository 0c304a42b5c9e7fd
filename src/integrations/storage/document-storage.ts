/**
 * Where identity-document files live. Content arrives already encrypted; a real deployment
 * puts an S3-compatible bucket behind the same interface.
 */
export interface DocumentStorage {
  put(key: string, content: Buffer): Promise<void>;
  get(key: string): Promise<Buffer>;
  /** Deleting a missing key succeeds, so purging can be retried. */
  delete(key: string): Promise<void>;
  /** Keys of the files last written before `before`, for finding files no record points to. */
  keysWrittenBefore(before: Date): AsyncIterable<string>;
}
