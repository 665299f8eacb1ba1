import { TransactionReceiptNotFoundError, type TransactionReceipt } from 'viem';
import { describe, expect, it } from 'vitest';
import { pollReceipt, ReceiptTimeoutError } from './receipt.ts';

const hash = `0x${'ab'.repeat(32)}` as const;

describe('pollReceipt', () => {
  it('finds a receipt that appears later without any new block', async () => {
    let calls = 0;
    const receipt = { transactionHash: hash, status: 'success' } as unknown as TransactionReceipt;
    const client = {
      getTransactionReceipt: () => {
        calls++;
        if (calls < 3) return Promise.reject(new TransactionReceiptNotFoundError({ hash }));
        return Promise.resolve(receipt);
      },
    };
    const r = await pollReceipt(client, hash, new AbortController().signal, { pollMs: 5 });
    expect(r).toBe(receipt);
    expect(calls).toBe(3);
  });

  it('gives up after the timeout', async () => {
    const client = { getTransactionReceipt: () => Promise.reject(new TransactionReceiptNotFoundError({ hash })) };
    await expect(pollReceipt(client, hash, new AbortController().signal, { pollMs: 5, timeoutMs: 30 })).rejects.toBeInstanceOf(ReceiptTimeoutError);
  });

  it('stops when aborted', async () => {
    const stop = new AbortController();
    const client = { getTransactionReceipt: () => Promise.reject(new TransactionReceiptNotFoundError({ hash })) };
    const p = pollReceipt(client, hash, stop.signal, { pollMs: 1_000 });
    stop.abort();
    await expect(p).rejects.toThrow('aborted');
  });
});
