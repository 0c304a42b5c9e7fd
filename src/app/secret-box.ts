import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM. `aad` binds a ciphertext to what it belongs to (a document id), so a file
 * copied onto another record fails to decrypt instead of showing the wrong person's passport.
 */
export function sealBytes(key: Buffer, plaintext: Buffer, aad = ''): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(aad));
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), data]);
}

export function openBytes(key: Buffer, sealed: Buffer, aad = ''): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12)).setAAD(Buffer.from(aad));
  decipher.setAuthTag(sealed.subarray(12, 28));
  return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
}

/** Names a key without revealing it, so rows record which key sealed them and keys can rotate. */
export const keyId = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 12);

/** Small secrets kept in the database (TOTP seeds, document numbers): `v1.<base64url>`. */
export function sealSecret(key: Buffer, plaintext: string, aad = ''): string {
  return `v1.${sealBytes(key, Buffer.from(plaintext, 'utf8'), aad).toString('base64url')}`;
}

export function openSecret(key: Buffer, sealed: string, aad = ''): string {
  const [version, data] = sealed.split('.');
  if (version !== 'v1' || !data) throw new Error('not a sealed secret');
  return openBytes(key, Buffer.from(data, 'base64url'), aad).toString('utf8');
}
