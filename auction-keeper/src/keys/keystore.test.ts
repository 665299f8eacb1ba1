import { describe, expect, it } from 'vitest';
import { privateKeyToAddress } from 'viem/accounts';
import { KeystoreError, decryptKeystore, encryptKeystore } from './keystore.ts';

const KEY = '0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d';

// Generated once with encryptKeystore(KEY, 'testpassword', { cost: 1024, salt: 0xab.., iv: 0x83.. })
// and frozen: decryption must keep accepting it byte for byte.
const VECTOR = {
  version: 3,
  id: '3198bc9c-6672-5ab3-d995-4942343ae5b6',
  address: privateKeyToAddress(KEY).toLowerCase().slice(2),
  crypto: {
    cipher: 'aes-128-ctr',
    cipherparams: { iv: '83dbcc02d8ccb40e466191a123791e0e' },
    ciphertext: '',
    kdf: 'scrypt',
    kdfparams: { n: 1024, r: 8, p: 1, dklen: 32, salt: 'ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19' },
    mac: '',
  },
};

describe('keystore (Web3 Secret Storage v3)', () => {
  it('round-trips scrypt and pbkdf2, and matches the frozen vector', () => {
    for (const kdf of ['scrypt', 'pbkdf2'] as const) {
      const ks = encryptKeystore(KEY, 'pässwörd', { kdf, cost: kdf === 'scrypt' ? 1024 : 2048 });
      expect(ks.version).toBe(3);
      expect(decryptKeystore(JSON.stringify(ks), 'pässwörd')).toBe(KEY);
    }
    const frozen = encryptKeystore(KEY, 'testpassword', {
      cost: 1024,
      salt: `0x${VECTOR.crypto.kdfparams.salt}`,
      iv: `0x${VECTOR.crypto.cipherparams.iv}`,
      uuid: VECTOR.id,
    });
    expect(frozen.crypto.ciphertext).toBe('01a05c7f05b697274227d8bd0825a6caa89967e24643426c0fcfa2fb663052d7');
    expect(frozen.crypto.mac).toBe('d60a6540bbdeaa746e4c7b4359c74e4bb0b679bedce5b4d129ad96150d200274');
    const v = { ...VECTOR, crypto: { ...VECTOR.crypto, ciphertext: frozen.crypto.ciphertext, mac: frozen.crypto.mac } };
    expect(decryptKeystore(v, 'testpassword')).toBe(KEY);
  });

  it('decrypts the Web3 Secret Storage reference vector (pbkdf2)', () => {
    const ref = {
      crypto: {
        cipher: 'aes-128-ctr',
        cipherparams: { iv: '6087dab2f9fdbbfaddc31a909735c1e6' },
        ciphertext: '5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46',
        kdf: 'pbkdf2',
        kdfparams: { c: 262144, dklen: 32, prf: 'hmac-sha256', salt: 'ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd' },
        mac: '517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2',
      },
      id: '3198bc9c-6672-5ab3-d995-4942343ae5b6',
      version: 3,
    };
    expect(decryptKeystore(ref, 'testpassword')).toBe(KEY);
  });

  it('rejects a wrong password and a malformed file without echoing secrets', () => {
    const ks = encryptKeystore(KEY, 'right', { cost: 1024 });
    const err = (() => {
      try {
        decryptKeystore(ks, 'wrong');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(KeystoreError);
    expect((err as Error).message).toBe('keystore: wrong password (MAC mismatch)');
    expect((err as Error).message).not.toContain(KEY.slice(2, 10));
    expect(() => decryptKeystore({ version: 3, crypto: { cipher: 'aes-256-gcm' } }, 'x')).toThrow(KeystoreError);
    expect(() => decryptKeystore('{nope', 'x')).toThrow('keystore: not valid JSON');
  });
});
