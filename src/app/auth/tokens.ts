import { createHash, randomBytes } from 'node:crypto';

/** A random secret for a cookie or a link; only its hash is stored. */
export const newToken = () => randomBytes(32).toString('base64url');
export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
