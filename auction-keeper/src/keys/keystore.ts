// Web3 Secret Storage v3 (the encrypted JSON keystore of geth, foundry `cast wallet`, MetaMask
// exports): scrypt or pbkdf2-sha256 key derivation, AES-128-CTR, MAC = keccak256(dk[16..32] ‖
// ciphertext). Decryption with node:crypto and viem's keccak256; encryption for tests and tooling.
// The private key and the password never appear in an error message.

import { createCipheriv, createDecipheriv, pbkdf2Sync, randomBytes, randomUUID, scryptSync, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type Hex, bytesToHex, concatBytes, hexToBytes, keccak256 } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';
import { z } from 'zod';

const hex = z.string().regex(/^(0x)?[0-9a-fA-F]*$/);

const keystoreSchema = z.object({
  version: z.literal(3),
  address: z.string().optional(),
  id: z.string().optional(),
  crypto: z.object({
    cipher: z.literal('aes-128-ctr'),
    cipherparams: z.object({ iv: hex }),
    ciphertext: hex,
    kdf: z.enum(['scrypt', 'pbkdf2']),
    kdfparams: z.union([
      z.object({ n: z.number().int().positive(), r: z.number().int().positive(), p: z.number().int().positive(), dklen: z.number().int().min(32), salt: hex }),
      z.object({ c: z.number().int().positive(), prf: z.literal('hmac-sha256'), dklen: z.number().int().min(32), salt: hex }),
    ]),
    mac: hex,
  }),
});

export type KeystoreV3 = z.infer<typeof keystoreSchema>;

export class KeystoreError extends Error {
  override readonly name = 'KeystoreError';
}

const bytes = (s: string): Uint8Array => hexToBytes((s.startsWith('0x') ? s : `0x${s}`) as Hex);

function deriveKey(password: string, kdf: KeystoreV3['crypto']['kdf'], params: KeystoreV3['crypto']['kdfparams']): Uint8Array {
  const pw = Buffer.from(password.normalize('NFKC'), 'utf8');
  const salt = bytes(params.salt);
  if (kdf === 'scrypt' && 'n' in params) {
    const maxmem = 128 * params.n * params.r * (params.p + 2) + 1024 * 1024;
    return new Uint8Array(scryptSync(pw, salt, params.dklen, { N: params.n, r: params.r, p: params.p, maxmem }));
  }
  if (kdf === 'pbkdf2' && 'c' in params) return new Uint8Array(pbkdf2Sync(pw, salt, params.c, params.dklen, 'sha256'));
  throw new KeystoreError(`keystore: kdfparams do not match kdf ${kdf}`);
}

/** Decrypts a v3 keystore (object or JSON text); throws KeystoreError on a wrong password or a bad file. */
export function decryptKeystore(input: unknown, password: string): Hex {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      throw new KeystoreError('keystore: not valid JSON');
    }
  }
  // Some tools write "Crypto".
  if (typeof value === 'object' && value !== null && 'Crypto' in value && !('crypto' in value)) {
    value = { ...value, crypto: (value).Crypto };
  }
  const parsed = keystoreSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KeystoreError(`keystore: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'} (expected a Web3 Secret Storage v3 file with aes-128-ctr)`);
  }
  const c = parsed.data.crypto;
  const dk = deriveKey(password, c.kdf, c.kdfparams);
  const ciphertext = bytes(c.ciphertext);
  const mac = hexToBytes(keccak256(concatBytes([dk.slice(16, 32), ciphertext])));
  const expected = bytes(c.mac);
  if (expected.length !== mac.length || !timingSafeEqual(mac, expected)) throw new KeystoreError('keystore: wrong password (MAC mismatch)');
  const decipher = createDecipheriv('aes-128-ctr', dk.slice(0, 16), bytes(c.cipherparams.iv));
  const key = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  if (key.length !== 32) throw new KeystoreError('keystore: the decrypted key is not 32 bytes');
  const pk = bytesToHex(key);
  const addr = parsed.data.address;
  if (addr !== undefined && addr !== '' && privateKeyToAddress(pk).toLowerCase().replace(/^0x/, '') !== addr.toLowerCase().replace(/^0x/, '')) {
    throw new KeystoreError('keystore: the decrypted key does not match the file address');
  }
  return pk;
}

/** Reads and decrypts a keystore file. */
export function readKeystore(file: string, password: string): Hex {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new KeystoreError(`keystore: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  return decryptKeystore(text, password);
}

export interface EncryptOptions {
  readonly kdf?: 'scrypt' | 'pbkdf2';
  /** scrypt N (default 262144) / pbkdf2 iterations (default 262144). */
  readonly cost?: number;
  readonly salt?: Hex;
  readonly iv?: Hex;
  readonly uuid?: string;
}

/** Encrypts a private key to a v3 keystore (scrypt r=8 p=1 by default). */
export function encryptKeystore(privateKey: Hex, password: string, options: EncryptOptions = {}): KeystoreV3 {
  const kdf = options.kdf ?? 'scrypt';
  const salt = options.salt ?? bytesToHex(randomBytes(32));
  const iv = options.iv ?? bytesToHex(randomBytes(16));
  const cost = options.cost ?? 262_144;
  const kdfparams: KeystoreV3['crypto']['kdfparams'] =
    kdf === 'scrypt' ? { n: cost, r: 8, p: 1, dklen: 32, salt: salt.slice(2) } : { c: cost, prf: 'hmac-sha256', dklen: 32, salt: salt.slice(2) };
  const dk = deriveKey(password, kdf, kdfparams);
  const cipher = createCipheriv('aes-128-ctr', dk.slice(0, 16), hexToBytes(iv));
  const ciphertext = new Uint8Array(Buffer.concat([cipher.update(hexToBytes(privateKey)), cipher.final()]));
  const mac = keccak256(concatBytes([dk.slice(16, 32), ciphertext]));
  return {
    version: 3,
    id: options.uuid ?? randomUUID(),
    address: privateKeyToAddress(privateKey).toLowerCase().slice(2),
    crypto: { cipher: 'aes-128-ctr', cipherparams: { iv: iv.slice(2) }, ciphertext: bytesToHex(ciphertext).slice(2), kdf, kdfparams, mac: mac.slice(2) },
  };
}
