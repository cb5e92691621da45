import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Logger } from '@nestjs/common';
import { keyIdOf } from '@pc/event-store';
import type { AppConfig } from '../config/app-config';

/** The Ed25519 key that signs checkpoints and evidence bundles. */
export class SigningKey {
  constructor(
    readonly privateKey: KeyObject,
    readonly publicKey: KeyObject,
    /** Where the private key was read from. */
    readonly file: string,
  ) {}

  get keyId(): string {
    return keyIdOf(this.publicKey);
  }

  get publicKeyPem(): string {
    return this.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }
}

export class SigningKeyError extends Error {
  override readonly name = 'SigningKeyError';
}

export const DEFAULT_SIGNING_KEY_FILE = 'signing-key.pem';

function readKey(file: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(readFileSync(file));
  } catch (error) {
    throw new SigningKeyError(`SIGNING_KEY_FILE ${file}: cannot read a private key (${(error as Error).message})`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new SigningKeyError(`SIGNING_KEY_FILE ${file}: an Ed25519 key is needed, this is ${String(key.asymmetricKeyType)}`);
  return key;
}

/**
 * SIGNING_KEY_FILE when configured; otherwise DATA_DIR/signing-key.pem, generated once (with its
 * public half beside it, to hand to auditors) and announced with its key id.
 */
export function loadSigningKey(config: AppConfig, logger = new Logger('SigningKey')): SigningKey {
  if (config.signingKeyFile) {
    const privateKey = readKey(config.signingKeyFile);
    return new SigningKey(privateKey, createPublicKey(privateKey), config.signingKeyFile);
  }
  const file = join(config.dataDir, DEFAULT_SIGNING_KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    try {
      // 'wx': another process starting at the same moment keeps its own key rather than being overwritten.
      writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { flag: 'wx', mode: 0o600 });
      writeFileSync(join(config.dataDir, 'signing-key.pub.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
      logger.log(`Generated the Ed25519 signing key ${file} (public key ${join(config.dataDir, 'signing-key.pub.pem')}, key id ${keyIdOf(publicKey)}): give auditors the public key`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const privateKey = readKey(file);
  const key = new SigningKey(privateKey, createPublicKey(privateKey), file);
  logger.log(`Checkpoints and evidence bundles are signed with ${file} (Ed25519, key id ${key.keyId})`);
  return key;
}
