import type { Config } from '../../config.ts';
import type { DocumentStorage } from './document-storage.ts';
import { LocalStorage } from './local-storage.ts';
import { S3Storage } from './s3-storage.ts';

/** The identity documents' store the configuration names: `DOCUMENT_STORAGE=s3` and its bucket, or the local directory. */
export function configuredStorage(config: Pick<Config, 'documentStorage' | 'documentsDir'>): DocumentStorage {
  const { documentStorage } = config;
  if (documentStorage.kind === 's3') {
    const { kind: _s3, ...options } = documentStorage;
    return new S3Storage(options);
  }
  return new LocalStorage(config.documentsDir);
}
