import { randomBytes } from 'node:crypto';
import { ApiError } from './errors.js';

/** An access key pair; STS-issued ones also carry a security token and an expiry. */
export interface AccessKey {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
  /** Epoch milliseconds. */
  expiresAt?: number;
}

/**
 * The demo key the emulator accepts by default. Deliberately not shaped like a real Alibaba Cloud key
 * (those start with `LTAI`), so it can never be mistaken for one in logs or secret scanners.
 */
export const DEMO_KEY: AccessKey = {
  accessKeyId: 'emulator-demo-key',
  accessKeySecret: 'emulator-demo-secret-not-for-real-use',
};

/** Long-lived keys plus the temporary keys STS has issued. */
export class KeyRing {
  private readonly keys = new Map<string, AccessKey>();

  constructor(staticKeys: readonly AccessKey[]) {
    for (const key of staticKeys) this.keys.set(key.accessKeyId, key);
  }

  /** Issues an `STS.`-prefixed temporary key valid for `ttlMs`. */
  issue(ttlMs: number): AccessKey & { securityToken: string; expiresAt: number } {
    const key = {
      accessKeyId: `STS.${randomBytes(14).toString('base64url')}`,
      accessKeySecret: randomBytes(24).toString('base64url'),
      securityToken: `CAIS${randomBytes(96).toString('base64')}`,
      expiresAt: Date.now() + ttlMs,
    };
    this.keys.set(key.accessKeyId, key);
    return key;
  }

  /**
   * The key a request claims, checked the way the gateway does before it looks at the signature:
   * unknown id, missing/mismatched STS token and expiry each have their own Alibaba Cloud error code.
   * A long-lived key takes no token at all: one sent with it matches no STS session.
   */
  resolve(accessKeyId: string, securityToken: string | undefined): AccessKey {
    const key = this.keys.get(accessKeyId);
    if (!key) throw new ApiError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    if (key.securityToken === undefined) {
      if (securityToken) throw tokenMismatch();
      return key;
    }
    if (!securityToken) {
      throw new ApiError(400, 'MissingSecurityToken', 'SecurityToken is mandatory for this action.');
    }
    if (securityToken !== key.securityToken) throw tokenMismatch();
    if (key.expiresAt !== undefined && Date.now() >= key.expiresAt) {
      throw new ApiError(400, 'InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.');
    }
    return key;
  }
}

function tokenMismatch(): ApiError {
  return new ApiError(
    400,
    'InvalidSecurityToken.MismatchWithAccessKey',
    'Specified SecurityToken mismatch with the AccessKey.',
  );
}
