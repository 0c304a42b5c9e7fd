import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { type DocumentStorage, StorageUnavailable } from './document-storage.ts';

export type S3Options = {
  bucket: string;
  region: string;
  /** For MinIO, Ceph, Yandex Object Storage and other S3-compatible stores; unset for AWS. */
  endpoint?: string | undefined;
  /** Buckets addressed as a path (`endpoint/bucket/key`), as most S3-compatible stores want. */
  forcePathStyle?: boolean;
  /** Unset: the SDK's default chain (environment, shared files, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** A prefix inside the bucket, so one bucket can serve several installations. */
  prefix?: string;
  timeoutMs?: number;
};

/**
 * Identity documents in an S3-compatible bucket. Content arrives sealed by simdesk, so the store
 * never sees a document in clear; an object appears only once its upload is complete, so a cut
 * upload leaves nothing half-written. A store that does not answer is a `StorageUnavailable`.
 */
export class S3Storage implements DocumentStorage {
  private readonly client: S3Client;
  private readonly prefix: string;

  constructor(private readonly options: S3Options) {
    this.client = new S3Client({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle ?? Boolean(options.endpoint),
      ...(options.credentials ? { credentials: options.credentials } : {}),
      maxAttempts: 2,
      requestHandler: { requestTimeout: options.timeoutMs ?? 10_000, connectionTimeout: 3_000 },
    });
    this.prefix = options.prefix ? `${options.prefix.replace(/\/+$/, '')}/` : '';
  }

  async put(key: string, content: Buffer): Promise<void> {
    await this.call(() =>
      this.client.send(
        new PutObjectCommand({
          Bucket: this.options.bucket,
          Key: this.prefix + key,
          Body: content,
          ContentLength: content.length,
          ContentType: 'application/octet-stream',
        }),
      ),
    );
  }

  async get(key: string): Promise<Buffer> {
    const answer = await this.call(() =>
      this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: this.prefix + key })),
    );
    return Buffer.from(await (answer.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
  }

  async has(key: string): Promise<boolean> {
    try {
      await this.call(() =>
        this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: this.prefix + key })),
      );
      return true;
    } catch (error) {
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) return false;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.call(() =>
      this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.prefix + key })),
    );
  }

  async *keysWrittenBefore(before: Date): AsyncIterable<string> {
    let token: string | undefined;
    do {
      const page = await this.call(() =>
        this.client.send(
          new ListObjectsV2Command({
            Bucket: this.options.bucket,
            Prefix: this.prefix,
            ...(token ? { ContinuationToken: token } : {}),
          }),
        ),
      );
      for (const object of page.Contents ?? [])
        if (object.Key && object.LastModified && object.LastModified < before)
          yield object.Key.slice(this.prefix.length);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /** Refusals of the request itself (a 4xx) stay what they are; an outage, a time-out or a 5xx becomes `StorageUnavailable`. */
  private async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
      if (status !== undefined && status < 500) throw error;
      throw new StorageUnavailable(`the document store does not answer: ${(error as Error).message}`);
    }
  }
}
