'use client';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useConfig, useConnection } from 'wagmi';
import { approveCall } from '../../actions/approve';
import { domainMatches, permitCall } from '../../actions/permit';
import { takeCall } from '../../actions/take';
import { quoteTake, scaleForDecimals, type TakeQuote } from '../../lib/auction';
import type { Ilk } from '../../lib/deployment';
import { CHAIN_ID } from '../../lib/env';
import { decodeTxError } from '../../lib/errors';
import { formatToken, formatWad, toInputString } from '../../lib/format';
import { proposedMaxPrice, validateMaxPrice, validateSlippage, validateTakeAmount, validateTakeCost } from '../../lib/validation';
import { quoteQueryOptions } from '../../queries/auction';
import { permitInfoQueryOptions, tokenWalletQueryOptions } from '../../queries/wallet';
import { signPermit } from '../../tx/signPermit';
import type { TxState } from '../../tx/types';
import { useTransaction } from '../../tx/useTransaction';
import { publicClient } from '../../wallet/chain';
import { useDeployment } from '../DeploymentContext';
import { Field } from '../Field';
import { TxStatus } from '../TxStatus';
import { Button, Notice } from '../ui';

const QUOTE_NOTES: Record<Exclude<TakeQuote, { ok: true }>['error'], string> = {
  PartialTakeBelowMinimum: 'The debt left is at its minimum: take the whole lot.',
  ZeroCollateralOut: 'Too small to buy any collateral at this price.',
  ZeroAmount: 'Enter an amount.',
  Panic: 'The contract cannot price this take (division by zero).',
};

export function TakeForm({
  ilk,
  id,
  sale,
  price,
  symbol,
  disabledReason,
  now,
}: {
  ilk: Ilk;
  id: bigint;
  sale: { tab: bigint; lot: bigint; minTab: bigint };
  price: bigint;
  symbol: string;
  disabledReason: string | undefined;
  now: bigint;
}) {
  const d = useDeployment();
  const config = useConfig();
  const { address, chainId, isConnected } = useConnection();
  const [amountIn, setAmountIn] = useState('');
  const [maxPriceIn, setMaxPriceIn] = useState<string | undefined>(undefined); // undefined: follow the price
  const [slippageIn, setSlippageIn] = useState('0.5');
  const [method, setMethod] = useState<'approve' | 'permit'>('permit');
  const [touched, setTouched] = useState(false);
  const [signState, setSignState] = useState<TxState>({ status: 'idle' });
  const approveTx = useTransaction();
  const takeTx = useTransaction();
  const scale = scaleForDecimals(ilk.decimals);

  const wallet = useQuery(tokenWalletQueryOptions(publicClient, d.stablecoin, address, ilk.house));
  const permitInfo = useQuery(permitInfoQueryOptions(publicClient, d.stablecoin, address));

  const amount = validateTakeAmount(amountIn, { decimals: ilk.decimals, lot: sale.lot, symbol });
  const slippage = validateSlippage(slippageIn);
  const chainQuote = useQuery(quoteQueryOptions(publicClient, ilk.house, id, amount.ok ? amount.value : undefined));
  // The proposed max follows the higher of the ticking price and the chain's own price at its latest
  // block: when the app's clock runs ahead of the node's, the ticking price is too low and a max
  // built on it alone made the take revert with PriceAboveMax (seen in the e2e suite).
  const basis = chainQuote.data && chainQuote.data.price > price ? chainQuote.data.price : price;
  const maxPrice = maxPriceIn === undefined ? (slippage.ok ? { ok: true as const, value: proposedMaxPrice(basis, slippage.value) } : slippage) : validateMaxPrice(maxPriceIn);

  const now_ = amount.ok ? quoteTake(sale, amount.value, price, scale) : undefined;
  const worst = amount.ok && maxPrice.ok ? quoteTake(sale, amount.value, maxPrice.value, scale) : undefined;
  const worstOwe = worst?.ok ? worst.owe : undefined;
  const balance = wallet.data?.balance;
  const allowance = wallet.data?.allowance ?? 0n;
  const cost = worstOwe !== undefined && balance !== undefined ? validateTakeCost(worstOwe, balance) : undefined;
  const needsAllowance = worstOwe !== undefined && allowance < worstOwe;
  const permitOk =
    permitInfo.data !== undefined &&
    domainMatches({ name: permitInfo.data.name, version: '1', chainId: CHAIN_ID, verifyingContract: d.stablecoin }, permitInfo.data.separator);
  const useMethod = method === 'permit' && permitOk ? 'permit' : 'approve';

  const show = touched || amountIn !== '';
  const amountError = show && !amount.ok ? amount.message : cost && !cost.ok ? cost.message : undefined;
  const maxPriceError = maxPrice.ok ? (maxPrice.value < price ? 'Max price is below the price now: the take would fail' : undefined) : maxPrice.message;
  const formOk = amount.ok && maxPrice.ok && (cost?.ok ?? false) && worst?.ok === true && maxPrice.value >= price;
  const wrongNetwork = isConnected && chainId !== CHAIN_ID;
  const busy = [approveTx.state, takeTx.state, signState].some((s) => s.status === 'simulating' || s.status === 'signing' || s.status === 'pending');

  async function authorize(): Promise<void> {
    if (!address || worstOwe === undefined) return;
    if (useMethod === 'approve') {
      await approveTx.send(approveCall({ token: d.stablecoin, spender: ilk.house, amount: worstOwe, label: `Approve ${formatWad(worstOwe, 4)} gUSD` }));
      return;
    }
    if (!permitInfo.data) return;
    const deadline = now + 1_200n;
    const domain = { name: permitInfo.data.name, version: '1', chainId: CHAIN_ID, verifyingContract: d.stablecoin };
    setSignState({ status: 'signing', label: 'Sign permit' });
    let signature;
    try {
      signature = await signPermit(config, { domain, owner: address, spender: ilk.house, value: worstOwe, nonce: permitInfo.data.nonce, deadline });
      setSignState({ status: 'idle' });
    } catch (e) {
      setSignState({ status: 'failed', label: 'Sign permit', error: decodeTxError(e) });
      return;
    }
    await approveTx.send(permitCall({ token: d.stablecoin, owner: address, spender: ilk.house, value: worstOwe, deadline, signature }));
  }

  async function take(): Promise<void> {
    setTouched(true);
    if (!address || !formOk) return;
    const receipt = await takeTx.send(
      takeCall({ house: ilk.house, id, amount: amount.value, maxPrice: maxPrice.value, receiver: address, label: `Take ${formatToken(amount.value, ilk.decimals)} ${symbol}` }),
    );
    if (receipt) {
      // A fresh, untouched form: the emptied amount is not an error.
      setAmountIn('');
      setTouched(false);
    }
  }

  return (
    <div className="space-y-4" data-testid="take-form">
      {disabledReason && <Notice tone="warn" title={disabledReason} testId="take-disabled" />}
      <Field
        label={`Amount (${symbol})`}
        value={amountIn}
        onChange={(v) => {
          setAmountIn(v);
          setTouched(true);
        }}
        error={amountError}
        testId="take-amount"
        hint={<span className="num">Lot {formatToken(sale.lot, ilk.decimals)}</span>}
        suffix={
          <button type="button" className="ml-2 text-xs font-semibold text-accent" data-testid="take-max" onClick={() => { setAmountIn(toInputString(sale.lot, ilk.decimals)); setTouched(true); }}>
            MAX
          </button>
        }
      />
      <div className="grid grid-cols-3 gap-3">
        <div className="col-span-2">
          <Field
            label="Max price (gUSD)"
            value={maxPriceIn ?? (maxPrice.ok ? toInputString(maxPrice.value, 18) : '')}
            onChange={setMaxPriceIn}
            error={maxPriceError}
            testId="take-max-price"
            hint={
              maxPriceIn !== undefined ? (
                <button type="button" className="text-accent" data-testid="take-max-price-auto" onClick={() => { setMaxPriceIn(undefined); }}>
                  follow price
                </button>
              ) : (
                <span>price + slippage</span>
              )
            }
          />
        </div>
        <Field label="Slippage %" value={slippageIn} onChange={setSlippageIn} error={slippage.ok ? undefined : slippage.message} testId="take-slippage" />
      </div>

      <dl className="num grid grid-cols-2 gap-y-1 rounded-lg border border-line p-3 text-sm" data-testid="take-preview">
        <dt className="text-muted">You receive (now)</dt>
        <dd className="text-right" data-testid="preview-collateral">
          {now_?.ok ? `${formatToken(now_.collateralOut, ilk.decimals)} ${symbol}` : '—'}
        </dd>
        <dt className="text-muted">You pay (now)</dt>
        <dd className="text-right" data-testid="preview-owe">
          {now_?.ok ? `${formatWad(now_.owe, 4)} gUSD` : '—'}
        </dd>
        <dt className="text-muted">At most (max price)</dt>
        <dd className="text-right">{worst?.ok ? `${formatWad(worst.owe, 4)} gUSD` : '—'}</dd>
        <dt className="text-muted">Chain quote (last block)</dt>
        <dd className="text-right" data-testid="preview-chain-quote">
          {chainQuote.data ? `${formatWad(chainQuote.data.owe, 4)} gUSD` : chainQuote.isError ? decodeTxError(chainQuote.error).name : '—'}
        </dd>
        <dt className="text-muted">Your gUSD</dt>
        <dd className="text-right" data-testid="stable-balance">
          {balance !== undefined ? formatWad(balance, 4) : '—'}
        </dd>
      </dl>
      {now_ && !now_.ok && amount.ok && <p className="text-xs text-warn">{QUOTE_NOTES[now_.error]}</p>}
      {now_?.ok && now_.capped === 'tab' && <p className="text-xs text-muted">Capped at the debt left: you buy only what raises it.</p>}
      {now_?.ok && now_.capped === 'minTab' && <p className="text-xs text-muted">Cut so the debt left stays at its minimum; take the whole lot to clear it.</p>}

      {!isConnected ? (
        <Notice tone="info" title="Connect a wallet to take this auction" testId="take-connect" />
      ) : wrongNetwork ? (
        <Notice tone="warn" title="Switch your wallet to the right network first" />
      ) : (
        <div className="space-y-2">
          {needsAllowance && (
            <div className="flex flex-wrap items-center gap-3">
              <div className="flex rounded-lg border border-line p-0.5 text-xs" role="radiogroup" aria-label="Authorization">
                {(['permit', 'approve'] as const).map((m) => (
                  <button
                    key={m}
                    type="button"
                    role="radio"
                    aria-checked={useMethod === m}
                    disabled={m === 'permit' && !permitOk}
                    data-testid={`auth-${m}`}
                    onClick={() => { setMethod(m); }}
                    className={`rounded-md px-2.5 py-1 disabled:opacity-40 ${useMethod === m ? 'bg-line text-white' : 'text-muted'}`}
                  >
                    {m === 'permit' ? 'Permit (signature)' : 'Approve (transaction)'}
                  </button>
                ))}
              </div>
              <Button testId="take-authorize" kind="secondary" disabled={!formOk || busy || disabledReason !== undefined} onClick={() => void authorize()}>
                {useMethod === 'permit' ? 'Sign permit' : 'Approve'} {formatWad(worstOwe, 2)} gUSD
              </Button>
            </div>
          )}
          <Button testId="take-submit" disabled={!formOk || needsAllowance || busy || disabledReason !== undefined} onClick={() => void take()}>
            Take{amount.ok ? ` ${formatToken(amount.value, ilk.decimals)} ${symbol}` : ''}
          </Button>
        </div>
      )}
      <TxStatus state={signState} testId="sign-status" />
      <TxStatus state={approveTx.state} testId="approve-status" />
      <TxStatus state={takeTx.state} testId="take-status" />
    </div>
  );
}
